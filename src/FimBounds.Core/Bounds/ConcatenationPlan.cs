using System;
using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// A linear map whose input is a dense block's concatenation [x, h_1(x), …, h_m(x)] (<see cref="Steps"/> = m), seen
/// through layers that act on every channel on its own. <see cref="GroupChannels"/> are the channel counts of the
/// groups x, h_1, …, h_m; <see cref="FeedingSteps"/> the steps h_1 … h_m.
/// </summary>
public sealed record ConcatenatedInput(Layer Map, DenseBlock Block, int Steps, IReadOnlyList<int> GroupChannels, IReadOnlyList<Sequence> FeedingSteps);

/// <summary>
/// Which linear maps read a dense concatenation: the first map of every dense step (it reads [x, h_1, …, h_{k−1}])
/// and the first map after the block (a transition's convolution, the classifier). One plan shared by the generator,
/// which gives each such map the factor ρ_C·σ(W), and the engine, which computes ρ_C.
/// <para>Soundness. Let δ be a perturbation of the block input and u_j the perturbation of group j of the
/// concatenation (u_0 = δ), with ‖u_j‖ ≤ a_j‖δ‖ (a_0 = 1). The layers between the concatenation and the map W act
/// channel by channel (elementwise activations, pooling, a BatchNorm, dropout, flatten), so their Jacobian is block
/// diagonal over the groups with every block of norm ≤ g, the product of their factors (a folded BatchNorm's scale
/// is in W). Write W's columns by group, W = [W^(1) … W^(m+1)]. For any t_j > 0, by Cauchy–Schwarz,
/// ‖Σ_j W^(j) v_j‖ = ‖[W^(j)/t_j]_j · [t_j v_j]_j‖ ≤ σ([W^(j)/t_j]_j)·√(Σ_j t_j²‖v_j‖²) ≤ σ([W^(j)/t_j]_j)·g·√(Σ_j t_j² a_j²)·‖δ‖.
/// t = 1 gives σ(W)·g·√(Σ_j a_j²) — the rule without the ratio, since √(Σ_j a_j²) is what the block's
/// ∏ √(1 + L_h²) stands for —; t_j² = σ(W^(j))/a_j gives g·Σ_j σ(W^(j))a_j (the triangle inequality). So
/// ρ_C = min(1, min over the t tried of σ([W^(j)/t_j])·√(Σ t_j² a_j²) / (σ(W)·√(Σ a_j²))) makes ρ_C·σ(W) a
/// factor on the map for every input. By induction over the steps, with a_k = L_{h_k}·√(Σ_{j&lt;k} a_j²) where
/// L_{h_k} already carries its own first map's ρ_C, Σ_{j≤k} a_j² = (1 + L_{h_k}²)·Σ_{j&lt;k} a_j², so the block keeps
/// its closed form ∏ √(1 + L_h²). ρ_C is homogeneous of degree 0 in a, so the a_j may be taken relative to the
/// block input.</para>
/// </summary>
public sealed class ConcatenationPlan
{
    private readonly Dictionary<string, ConcatenatedInput> _byMap = new(StringComparer.Ordinal);

    private ConcatenationPlan()
    {
    }

    /// <summary>Every map of a network fed by a dense concatenation (deterministic: generator and engine agree).</summary>
    public static ConcatenationPlan Of(Layer network)
    {
        var plan = new ConcatenationPlan();
        plan.Walk(network);
        return plan;
    }

    public IEnumerable<ConcatenatedInput> All => _byMap.Values;

    /// <summary>The concatenation feeding the map at <paramref name="mapPath"/>, or null.</summary>
    public ConcatenatedInput? Of(string mapPath) => _byMap.TryGetValue(mapPath, out ConcatenatedInput? input) ? input : null;

    private void Walk(Layer node)
    {
        if (node is not Sequence sequence)
        {
            foreach (Layer child in node.Children)
            {
                Walk(child);
            }
            return;
        }
        var chain = new List<Layer>();
        var composites = new List<Layer>();
        LinearFolds.Inline(sequence, chain, composites);
        for (int i = 0; i < chain.Count; i++)
        {
            if (chain[i] is DenseBlock block)
            {
                PlanBlock(block, chain, i);
            }
        }
        foreach (Layer composite in composites)
        {
            foreach (Layer child in composite.Children)
            {
                Walk(child);
            }
        }
    }

    private void PlanBlock(DenseBlock block, List<Layer> chain, int index)
    {
        var channels = new List<int> { block.Input[0] };
        for (int k = 0; k < block.Steps.Count; k++)
        {
            var stepChain = new List<Layer>();
            LinearFolds.Inline(block.Steps[k], stepChain, new List<Layer>());
            Add(FirstMap(stepChain, 0, channels.Sum()), block, k, channels);
            channels.Add(block.Steps[k].Output[0]);
        }
        Add(FirstMap(chain, index + 1, channels.Sum()), block, block.Steps.Count, channels);
    }

    /// <summary>
    /// The first step's map reads the block input alone: one group, ρ_C = 1 exactly; it is planned all the same, so
    /// every step's factor has one form (ρ_C·σ·…) and the compact bound stays an indexed product over the steps.
    /// </summary>
    private void Add(Layer? map, DenseBlock block, int steps, List<int> channels)
    {
        if (map is not null)
        {
            _byMap[map.Path] = new ConcatenatedInput(map, block, steps, channels.ToList(), block.Steps.Take(steps).ToList());
        }
    }

    /// <summary>The first linear map from <paramref name="start"/> reached through channel-wise layers only, or null.</summary>
    private static Layer? FirstMap(List<Layer> chain, int start, int channels)
    {
        bool flattened = false;
        for (int j = start; j < chain.Count; j++)
        {
            switch (chain[j])
            {
                case Activation:
                case MaxPool2d:
                case AvgPool2d:
                case AdaptiveAvgPool2d:
                case Dropout:
                    continue;
                case BatchNorm2d bn when !flattened && bn.Channels == channels:
                    continue;
                case Flatten:
                    flattened = true;
                    continue;
                case Conv2d conv when !flattened && conv.Groups == 1 && conv.InChannels == channels:
                    return conv;
                case Linear linear when flattened && linear.InFeatures % channels == 0:
                    return linear;
                default:
                    return null;
            }
        }
        return null;
    }
}

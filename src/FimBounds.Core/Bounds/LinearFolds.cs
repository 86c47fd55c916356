using System;
using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// One linear map (Conv2d, Linear, or the projections of a self-attention layer) with the diagonal scales
/// folded into it: an eval BatchNorm right after a convolution (<see cref="Output"/>), and a BatchNorm or
/// LayerNorm before it (<see cref="Input"/>) reached through layers whose Jacobians commute with the scale.
/// <see cref="Segment"/> lists every layer from the first scale to the last, in execution order.
/// </summary>
public sealed record LinearFold(Layer Map, BatchNorm2d? Output, Layer? Input, IReadOnlyList<Layer> Segment)
{
    /// <summary>
    /// The fold as one name, in composition order (outermost first): <c>features.denseblock1.denselayer1.norm2∘conv1∘norm1</c>.
    /// The first element is a full path; later ones drop the ancestors they share with it.
    /// </summary>
    public string Composite => LinearFolds.Compose(Map, Output, Input);
}

/// <summary>
/// Where a bound may take the norm of a product of linear maps instead of the product of their norms.
/// <para>Soundness. Let s be an eval BatchNorm's per-channel scale (γ_c/√(var_c + ε); its shift does not
/// enter the Jacobian) or a LayerNorm's per-feature gain γ. Every layer between the scale and the next
/// linear map W has a Jacobian that commutes with a per-channel (per-feature) diagonal:
/// elementwise activations (their Jacobians are diagonal), max/average/adaptive pooling (each acts on
/// every channel alike, mapping channel c to channel c, so J_pool·diag(s ⊗ 1) = diag(s ⊗ 1)·J_pool),
/// global pooling, dropout in eval mode, flattening (it renames coordinates: diag(s ⊗ 1_{HW}) on the
/// flattened vector), and selecting a token (per-feature scales act on every token alike). So the chain's
/// Jacobian W·J_k⋯J_1·diag(s) = (W·diag(s'))·J_k⋯J_1 with s' = s repeated as the coordinates require, and
/// ‖·‖ ≤ σ(W·diag s')·∏‖J_i‖: the scale costs nothing beyond what it does to W, where the unfolded rule
/// paid max|s| on top of σ(W). A BatchNorm right after a convolution is diag(s)·W the same way.</para>
/// <para>A LayerNorm is diag(γ)·N(x) + β with N the normalisation, whose Jacobian has norm ≤ 1/√(v + ε).
/// Right before self-attention (dropout aside), attention(γ⊙ẑ + β) is the same attention with
/// W_{Q,K,V}' = W_{Q,K,V}·diag γ and biases b' = b + W·β applied to ẑ, whose tokens have norm
/// ‖ẑ‖ = √(D·v/(v + ε)) &lt; √D: the attention rule holds for the folded weights with radius √D.</para>
/// </summary>
public sealed class LinearFolds
{
    private readonly Dictionary<string, LinearFold> _byMember = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinearFold> _byComposite = new(StringComparer.Ordinal);

    private LinearFolds()
    {
    }

    /// <summary>Every fold of a network (the plan is deterministic: the generator and the engine agree on it).</summary>
    public static LinearFolds Of(Layer network)
    {
        var folds = new LinearFolds();
        folds.Walk(network);
        return folds;
    }

    public IEnumerable<LinearFold> All => _byComposite.Values;

    /// <summary>The fold a map or a folded scale belongs to (null for layers outside every fold).</summary>
    public LinearFold? Of(string path) => _byMember.TryGetValue(path, out LinearFold? fold) ? fold : null;

    /// <summary>The fold named by a composite path, if any.</summary>
    public LinearFold? ByComposite(string composite) => _byComposite.TryGetValue(composite, out LinearFold? fold) ? fold : null;

    /// <summary>The name of a map with its scales, outermost first.</summary>
    public static string Compose(Layer map, Layer? output, Layer? input)
    {
        var order = new List<Layer>(3);
        if (output is not null)
        {
            order.Add(output);
        }
        order.Add(map);
        if (input is not null)
        {
            order.Add(input);
        }
        string first = order[0].Path;
        return string.Join("∘", order.Select((l, i) => i == 0 ? first : RelativeTo(first, l.Path)));
    }

    /// <summary>
    /// <paramref name="path"/> without the ancestors it shares with <paramref name="first"/> ("…layer_0.mlp.0",
    /// "…layer_0.ln_2" → "ln_2"). The composite stays unique: its first element is a full path, and a
    /// layer is the first element of at most one fold.
    /// </summary>
    private static string RelativeTo(string first, string path)
    {
        string[] a = first.Split('.');
        string[] b = path.Split('.');
        int common = 0;
        while (common < a.Length - 1 && common < b.Length - 1 && a[common] == b[common])
        {
            common++;
        }
        return string.Join(".", b.Skip(common));
    }

    private void Walk(Layer node)
    {
        if (node is Sequence sequence)
        {
            var chain = new List<Layer>();
            var composites = new List<Layer>();
            Inline(sequence, chain, composites);
            Plan(chain);
            foreach (Layer composite in composites)
            {
                foreach (Layer child in composite.Children)
                {
                    Walk(child);
                }
            }
            return;
        }
        foreach (Layer child in node.Children)
        {
            Walk(child);
        }
    }

    /// <summary>Nested sequences compose like one sequence; other compositions are single links of the chain.</summary>
    internal static void Inline(Sequence sequence, List<Layer> chain, List<Layer> composites)
    {
        foreach (Layer child in sequence.Layers)
        {
            if (child is Sequence inner)
            {
                Inline(inner, chain, composites);
                continue;
            }
            chain.Add(child);
            if (child.Children.Any())
            {
                composites.Add(child);
            }
        }
    }

    private void Plan(List<Layer> chain)
    {
        var output = new Dictionary<Layer, BatchNorm2d>();
        var input = new Dictionary<Layer, (Layer Scale, int Start)>();
        for (int i = 0; i + 1 < chain.Count; i++)
        {
            if (chain[i] is Conv2d conv && chain[i + 1] is BatchNorm2d bn && bn.Channels == conv.OutChannels)
            {
                output[conv] = bn;
            }
        }
        var postFolded = new HashSet<Layer>(output.Values);
        for (int i = 0; i < chain.Count; i++)
        {
            if (postFolded.Contains(chain[i]) || Target(chain, i) is not { } target || input.ContainsKey(target))
            {
                continue;
            }
            input[target] = (chain[i], i);
        }
        for (int i = 0; i < chain.Count; i++)
        {
            Layer map = chain[i];
            bool hasOutput = output.TryGetValue(map, out BatchNorm2d? after);
            bool hasInput = input.TryGetValue(map, out (Layer Scale, int Start) before);
            if (!hasOutput && !hasInput)
            {
                continue;
            }
            int start = hasInput ? before.Start : i;
            int end = hasOutput ? i + 1 : i;
            var fold = new LinearFold(map, after, hasInput ? before.Scale : null, chain.GetRange(start, end - start + 1));
            _byComposite[fold.Composite] = fold;
            _byMember[map.Path] = fold;
            if (after is not null)
            {
                _byMember[after.Path] = fold;
            }
            if (hasInput)
            {
                _byMember[before.Scale.Path] = fold;
            }
        }
    }

    /// <summary>The linear map a scale at <paramref name="i"/> folds into, if the layers between commute with it.</summary>
    private static Layer? Target(List<Layer> chain, int i)
    {
        switch (chain[i])
        {
            case BatchNorm2d bn:
                {
                    bool flattened = false;
                    for (int j = i + 1; j < chain.Count; j++)
                    {
                        switch (chain[j])
                        {
                            case Activation:
                            case MaxPool2d:
                            case AvgPool2d:
                            case AdaptiveAvgPool2d:
                            case Dropout:
                                continue;
                            case Flatten:
                                flattened = true;
                                continue;
                            case Conv2d conv when !flattened && conv.Groups == 1 && conv.InChannels == bn.Channels:
                                return conv;
                            case Linear linear when flattened && linear.InFeatures % bn.Channels == 0:
                                return linear;
                            default:
                                return null;
                        }
                    }
                    return null;
                }
            case LayerNorm ln:
                {
                    bool onlyDropout = true;
                    for (int j = i + 1; j < chain.Count; j++)
                    {
                        switch (chain[j])
                        {
                            case Dropout:
                                continue;
                            case Activation:
                            case TokenSelect:
                                onlyDropout = false;
                                continue;
                            case Linear linear when linear.InFeatures == ln.Features:
                                return linear;
                            // The shift β moves into the attention biases, so only dropout may stand between.
                            case MultiHeadSelfAttention attention when onlyDropout && attention.Dim == ln.Features:
                                return attention;
                            default:
                                return null;
                        }
                    }
                    return null;
                }
            default:
                return null;
        }
    }
}

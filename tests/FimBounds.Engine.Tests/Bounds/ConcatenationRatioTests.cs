using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// The concatenation ratio ρ_C (<see cref="ConcatenationPlan"/>) against dense Jacobians of random small dense nets
/// — every map after a concatenation, a 1×1 convolution after a block and a Linear after pooling and flattening
/// (several columns per channel) —, and on a net whose post-block map has identical blocks, where the bound's value
/// is known in closed form and a plausible unsound shortcut is shown to fall below it.
/// </summary>
public sealed class ConcatenationRatioTests
{
    /// <summary>Two dense blocks: the first read by a transition's 1×1 conv, the second by the classifier through a 2×2 pool.</summary>
    private static ArchitectureDescription TwoBlocks() => DescriptionBuilder.Describe("concat-like", Shape.Image(1, 6, 6), 3, b => b
        .Conv(3, 3, padding: 1, bias: false)
        .DenseBlock(3, Step)
        .BatchNorm().Act(ActivationFunction.ReLU).Conv(3, 1, bias: false).AvgPool(2, 2)
        .DenseBlock(2, Step)
        .BatchNorm().Act(ActivationFunction.ReLU)
        .AdaptiveAvgPool(2, 2).Flatten()
        .Linear(3), ArchitectureFamily.DenseNet);

    private static void Step(DescriptionBuilder step) => step
        .BatchNorm().Act(ActivationFunction.ReLU).Conv(4, 1, bias: false)
        .BatchNorm().Act(ActivationFunction.ReLU).Conv(2, 3, padding: 1, bias: false);

    [Theory]
    [InlineData(1L, 1.0)]
    [InlineData(2L, 1.5)]
    [InlineData(3L, 2.5)]
    [InlineData(4L, 0.6)]
    public void Bound_with_concatenation_ratios_holds_on_random_dense_nets(long seed, double weightScale)
    {
        ArchitectureDescription description = TwoBlocks();
        var model = new DescribedModel(description, seed, weightScale);
        model.eval();
        InstantiatedBound bound = BoundInstantiator.Instantiate(description, model, null);
        Dictionary<string, NumericFactor> factors = bound.PerLayer.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.First());
        Layer[] top = ((Sequence)description.Network).Layers.ToArray();

        double[] ratios = bound.Quantities.Where(q => q.Quantity == nameof(Quantity.ConcatenationRatio)).Select(q => q.Value).ToArray();
        Assert.Equal(ConcatenationPlan.Of(description.Network).All.Count(), ratios.Length);
        Assert.All(ratios, r => Assert.InRange(r, 1e-12, 1.0));
        Assert.Contains(ratios, r => r < 0.999);   // the rule engages on these nets, so the checks below test it

        for (int i = 0; i < 3; i++)
        {
            Tensor x = TestTensors.Pixels(200 + seed * 10 + i, 1, 6, 6).to(float64);
            double whole = LayerJacobian.SpectralNorm(v => model.Run(description.Network, v), x);
            Assert.True(whole <= bound.Lipschitz, $"‖J‖ {whole} above L {bound.Lipschitz}");

            // Block → BatchNorm → ReLU → conv 1×1 (the transition's map reads the first block's concatenation).
            Tensor blockInput = model.Run(top[0], x.unsqueeze(0)).squeeze(0);
            CheckSegment(model, top[1..5], blockInput, factors);
            // Block → BatchNorm → ReLU → adaptive pool 2×2 → flatten → Linear (4 columns per channel).
            Tensor secondInput = top[..6].Aggregate(x.unsqueeze(0), (h, l) => model.Run(l, h)).squeeze(0);
            CheckSegment(model, top[6..], secondInput, factors);
        }
    }

    /// <summary>The dense Jacobian of a run of layers starting at a dense block, against the product of their factors.</summary>
    private static void CheckSegment(DescribedModel model, Layer[] layers, Tensor input, Dictionary<string, NumericFactor> factors)
    {
        Assert.IsType<DenseBlock>(layers[0]);
        double limit = layers.Aggregate(1.0, (p, l) => p * factors[l.Path].Value);
        double dense = LayerJacobian.SpectralNorm(v => layers.Aggregate(v, (h, l) => model.Run(l, h)), input);
        Assert.True(dense <= limit * (1 + 1e-9), $"segment {layers[0].Path}…{layers[^1].Path}: ‖J‖ {dense} above {limit}");
    }

    /// <summary>A block of growth 3 on 3 channels, read through a ReLU by a 1×1 conv whose three column blocks are one matrix A.</summary>
    private static ArchitectureDescription IdenticalBlocks() => DescriptionBuilder.Describe("concat-identical", Shape.Image(1, 5, 5), 2, b => b
        .Conv(3, 3, padding: 1, bias: false)
        .DenseBlock(2, step => step.BatchNorm().Act(ActivationFunction.ReLU).Conv(3, 3, padding: 1, bias: false))
        .Act(ActivationFunction.ReLU).Conv(2, 1, bias: false)
        .AdaptiveAvgPool(1, 1).Flatten()
        .Linear(2), ArchitectureFamily.DenseNet);

    [Fact]
    public void Identical_blocks_reach_the_triangle_bound_which_a_max_block_shortcut_misses()
    {
        ArchitectureDescription description = IdenticalBlocks();
        var model = new DescribedModel(description, 31, 1.3);
        model.eval();
        Layer map = ((Sequence)description.Network).Layers[3];
        using (no_grad())
        {
            Tensor kernel = model.state_dict()[map.Path + ".weight"];
            Tensor a = kernel.narrow(1, 0, 3).clone();
            kernel.copy_(cat(new[] { a, a, a }, 1));
        }
        InstantiatedBound bound = BoundInstantiator.Instantiate(description, model, null);

        // Branch bounds relative to the block input: a_0 = 1, a_k = L_{h_k}·√(Σ_{j<k} a_j²).
        double l1 = bound.PerLayer.Single(f => f.Path.EndsWith(".step0", StringComparison.Ordinal)).Value;
        double l2 = bound.PerLayer.Single(f => f.Path.EndsWith(".step1", StringComparison.Ordinal)).Value;
        double[] branch = { 1.0, l1, l2 * Math.Sqrt(1 + l1 * l1) };
        double root = Math.Sqrt(branch.Sum(v => v * v));

        double sigmaA;
        using (NewDisposeScope())
        {
            Tensor matrix = model.state_dict()[map.Path + ".weight"].narrow(1, 0, 3).reshape(2, 3).to(float64);
            sigmaA = linalg.svdvals(matrix).max().item<double>();
        }
        // u_j = a_j·v (v the top right singular vector of A, the ReLU's mask all ones) attains ‖Σ_j A u_j‖ = σ(A)·Σ_j a_j.
        double attainable = sigmaA * branch.Sum();
        double rho = bound.Quantities.Single(q => q.Symbol == "rhoC_" + map.Path).Value;
        double sigma = bound.Quantities.Single(q => q.Symbol == "sigma_" + map.Path).Value;
        double withRatio = rho * sigma * root;

        Assert.True(withRatio >= attainable, $"ρ_C·σ·√Σa² = {withRatio} below the attainable {attainable}");
        Assert.Equal(attainable, withRatio, attainable * 1e-6);   // the triangle inequality is exact here
        Assert.True(rho < 1, $"ρ_C {rho}: σ([A A A]) = √3σ(A) against Σa_j/√Σa_j² < √3");
        // Negative control: max_j σ(W^(j))·√(Σ a_j²) — right when the groups' blocks are orthogonal — is unsound.
        double maxBlockShortcut = sigmaA * root;
        Assert.True(maxBlockShortcut < attainable * 0.95, $"the shortcut {maxBlockShortcut} is not below the attainable {attainable}");
    }
}

using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// A scale folded into the next linear map: σ of the folded map against the dense Jacobian of the linear
/// part of the chain (BatchNorm then the map: exactly W·diag(s)), and against the unfolded product
/// max|s|·σ(W) it replaces.
/// </summary>
public sealed class LinearFoldTests
{
    private static (WeightQuantities Quantities, DescribedModel Model, ArchitectureDescription Description, LinearFolds Folds) Setup(string name)
    {
        ArchitectureDescription description = TestNetworks.Describe(name);
        var model = new DescribedModel(description, seed: 81, weightScale: 1.5);
        model.eval();
        return (new WeightQuantities(description, new ModelWeights(model)), model, description, LinearFolds.Of(description.Network));
    }

    private static double BatchNormWorstChannel(DescribedModel model, string path)
    {
        using var scope = NewDisposeScope();
        using var weights = new ModelWeights(model);
        Tensor variance = weights.Get(path, "running_var").to(float64);
        return weights.Get(path, "weight").to(float64).abs().div(variance.Plus(1e-5).sqrt()).max().item<double>();
    }

    [Theory]
    [InlineData("densenet-like", "l4∘l2")]     // transition: BatchNorm → ReLU → 1×1 conv
    [InlineData("folds-like", "l6∘l5∘l2")]     // BatchNorm → ReLU → max pool → 3×3 conv → BatchNorm
    public void Folded_convolution_norm_brackets_the_dense_jacobian_of_batchnorm_then_conv(string name, string composite)
    {
        (WeightQuantities quantities, DescribedModel model, ArchitectureDescription description, LinearFolds folds) = Setup(name);
        LinearFold fold = folds.ByComposite(composite) ?? throw new InvalidOperationException(
            $"no fold {composite}; found {string.Join(", ", folds.All.Select(f => f.Composite))}");
        var conv = (Conv2d)fold.Map;
        var bn = (BatchNorm2d)fold.Input!;
        Layer[] linearPart = new Layer[] { bn, conv }.Concat(fold.Output is null ? Array.Empty<Layer>() : new Layer[] { fold.Output }).ToArray();
        Tensor x = TestTensors.Pixels(82, conv.Input.Dims.Select(d => (long)d).ToArray()).to(float64);

        double dense = LayerJacobian.SpectralNorm(v => linearPart.Aggregate(v, (h, l) => model.Run(l, h)), x);
        FimBounds.Engine.Norms.OperatorNorm folded = quantities.OperatorNorm(composite);

        Assert.True(dense <= folded.Upper, $"dense {dense} above the certified {folded.Upper}");
        Assert.True(folded.Lower <= dense * (1 + 1e-9), $"attained {folded.Lower} above the dense {dense}");
        double unfolded = quantities.OperatorNorm(conv.Path).Upper * BatchNormWorstChannel(model, bn.Path)
            * (fold.Output is { } after ? BatchNormWorstChannel(model, after.Path) : 1.0);
        Assert.True(folded.Upper <= unfolded * (1 + 1e-9), $"folded {folded.Upper} above the unfolded {unfolded}");
    }

    [Fact]
    public void Batchnorm_folded_through_pooling_and_flatten_into_a_linear_map_is_exact()
    {
        (WeightQuantities quantities, DescribedModel model, ArchitectureDescription description, LinearFolds folds) = Setup("folds-like");
        LinearFold fold = folds.All.Single(f => f.Map is Linear);
        Assert.Equal(new[] { typeof(BatchNorm2d), typeof(Activation), typeof(AdaptiveAvgPool2d), typeof(Flatten), typeof(Dropout), typeof(Linear) },
            fold.Segment.Select(l => l.GetType()));
        var bn = (BatchNorm2d)fold.Input!;
        Layer flatten = fold.Segment.Single(l => l is Flatten);
        // BatchNorm → flatten → linear on a [C, 2, 2] input is the constant linear map W·diag(s repeated over 2×2).
        Tensor x = TestTensors.Pixels(83, bn.Channels, 2, 2).to(float64);
        double dense = LayerJacobian.SpectralNorm(v => model.Run(fold.Map, model.Run(flatten, model.Run(bn, v))), x);
        Assert.Equal(dense, quantities.OperatorNorm(fold.Composite).Upper, dense * 1e-8);
    }

    [Fact]
    public void Layernorm_gain_folds_into_the_mlp_and_into_the_attention_projections()
    {
        (WeightQuantities quantities, DescribedModel model, _, LinearFolds folds) = Setup("vit-like");
        using var scope = NewDisposeScope();
        using var weights = new ModelWeights(model);
        Tensor gamma = weights.Get("l5.body.l0", "weight").to(float64);
        double expected = linalg.svdvals(weights.Get("l5.body.l1", "weight").to(float64).mul(gamma.view(1, -1))).max().item<double>();
        Assert.NotNull(folds.ByComposite("l5.body.l1∘l0"));
        Assert.Equal(expected, quantities.OperatorNorm("l5.body.l1∘l0").Upper, expected * 1e-8);

        // Attention after LayerNorm: W_V,h·diag γ per head, and the output projection untouched.
        AttentionNorms attention = quantities.Attention("l4.body.l1∘l0");
        Tensor ln = weights.Get("l4.body.l0", "weight").to(float64);
        Tensor w = weights.Get("l4.body.l1", "in_proj_weight").to(float64);
        for (int h = 0; h < attention.Heads; h++)
        {
            Tensor wv = w.narrow(0, 16 + h * attention.HeadDim, attention.HeadDim).mul(ln.view(1, -1));
            double sigma = linalg.svdvals(wv).max().item<double>();
            Assert.Equal(sigma, attention.Value[h], sigma * 1e-8);
        }
        Assert.Equal(quantities.Attention("l4.body.l1").Output, attention.Output);
    }

    [Fact]
    public void The_bound_names_each_fold_as_one_symbol()
    {
        ArchitectureBound bound = BoundDeriver.Derive(TestNetworks.Describe("densenet-like"));
        string text = bound.FimBound.ToText();
        Assert.Contains("sigma_l4∘l2", text);
        Assert.DoesNotContain("beta_", text);   // every BatchNorm of this net is folded into a map
        Assert.Equal(bound.FimBound, FimBounds.Core.Algebra.ExprParser.Parse(text));
    }
}

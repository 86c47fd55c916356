using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Core.Collections;
using TorchSharp;
using TorchModules = TorchSharp.Modules;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>
/// The composition rules (residual, dense step, the pre-LN Transformer block) against the Jacobians of
/// small TorchSharp blocks: the derived factor, evaluated at the blocks' real quantities, bounds ‖J(x)‖.
/// </summary>
public class CompositionRuleTests
{
    private static Shape Img(int c, int h, int w) => Shape.Image(c, h, w);

    private static Sequence Seq(string path, Shape input, Shape output, params Layer[] layers) => new(path, input, output, layers.ToEquatableList());

    private static Architecture.Conv2d ConvDesc(string path, int cin, int cout, int size, int k, int stride, int pad) =>
        new(path, Img(cin, size, size), Img(cout, (size + 2 * pad - k) / stride + 1, (size + 2 * pad - k) / stride + 1), cin, cout, k, stride, pad, 1, false);

    private static double ConvSigma(TorchModules.Conv2d conv, int cin, int size, int stride, int pad)
    {
        Tensor w = conv.weight!.detach();
        return JacobianNorm(x => nn.functional.conv2d(x, w, null, new long[] { stride }, new long[] { pad }), zeros(1, cin, size, size, dtype: float64));
    }

    private static TorchModules.BatchNorm2d RandomBn(int channels)
    {
        var bn = nn.BatchNorm2d(channels, dtype: float64);
        using (no_grad())
        {
            bn.weight!.copy_(randn(channels, dtype: float64));
            bn.bias!.copy_(randn(channels, dtype: float64));
            bn.running_mean!.copy_(randn(channels, dtype: float64) * 0.1);
            bn.running_var!.copy_(rand(channels, dtype: float64) + 0.5);
        }
        bn.eval();
        return bn;
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    public void Residual_block_factor_bounds_the_jacobian(int channels, int stride)
    {
        using var scope = NewDisposeScope();
        Seed(30 + stride);
        int cout = stride == 1 ? channels : 2 * channels;
        const int size = 5;
        int outSize = (size + 2 - 3) / stride + 1;
        var conv1 = nn.Conv2d(channels, cout, 3, stride: stride, padding: 1, bias: false, dtype: float64);
        var bn1 = RandomBn(cout);
        var conv2 = nn.Conv2d(cout, cout, 3, padding: 1, bias: false, dtype: float64);
        var bn2 = RandomBn(cout);
        bool project = stride != 1;
        var down = nn.Conv2d(channels, cout, 1, stride: stride, bias: false, dtype: float64);
        var downBn = RandomBn(cout);
        Func<Tensor, Tensor> block = x =>
        {
            Tensor body = bn2.call(conv2.call(nn.functional.relu(bn1.call(conv1.call(x)))));
            Tensor shortcut = project ? downBn.call(down.call(x)) : x;
            return nn.functional.relu(body + shortcut);
        };

        var outShape = Img(cout, outSize, outSize);
        var description = new Residual("layer1.0", Img(channels, size, size), outShape,
            Seq("layer1.0", Img(channels, size, size), outShape,
                ConvDesc("layer1.0.conv1", channels, cout, size, 3, stride, 1),
                new Architecture.BatchNorm2d("layer1.0.bn1", outShape, outShape, cout),
                new Activation("layer1.0.relu", outShape, outShape, ActivationFunction.ReLU),
                ConvDesc("layer1.0.conv2", cout, cout, outSize, 3, 1, 1),
                new Architecture.BatchNorm2d("layer1.0.bn2", outShape, outShape, cout)),
            project
                ? Seq("layer1.0.downsample", Img(channels, size, size), outShape,
                    ConvDesc("layer1.0.downsample.0", channels, cout, size, 1, stride, 0),
                    new Architecture.BatchNorm2d("layer1.0.downsample.1", outShape, outShape, cout))
                : null,
            new Activation("layer1.0.relu", outShape, outShape, ActivationFunction.ReLU));
        // Each BatchNorm folds into the convolution before it: σ(BN∘conv) is the norm of that affine map's
        // (constant) dense Jacobian.
        var values = new Dictionary<string, double>
        {
            ["sigma_layer1.0.bn1∘conv1"] = JacobianNorm(x => bn1.call(conv1.call(x)), zeros(1, channels, size, size, dtype: float64)),
            ["sigma_layer1.0.bn2∘conv2"] = JacobianNorm(x => bn2.call(conv2.call(x)), zeros(1, cout, outSize, outSize, dtype: float64)),
            ["sigma_layer1.0.downsample.1∘0"] = JacobianNorm(x => downBn.call(down.call(x)), zeros(1, channels, size, size, dtype: float64)),
        };
        double bound = BoundDeriver.FactorOf(description).Evaluate(values);
        for (int trial = 0; trial < 3; trial++)
        {
            AssertBounded(JacobianNorm(block, randn(1, channels, size, size, dtype: float64)), bound, "residual block");
        }
    }

    [Fact]
    public void Dense_block_factor_bounds_the_jacobian_of_the_concatenations()
    {
        using var scope = NewDisposeScope();
        Seed(33);
        const int size = 4;
        const int growth = 2;
        int c = 3;
        var steps = new List<Sequence>();
        var stepFunctions = new List<Func<Tensor, Tensor>>();
        var values = new Dictionary<string, double>();
        for (int l = 1; l <= 2; l++)
        {
            string p = $"features.denseblock1.denselayer{l}";
            var bnA = RandomBn(c);
            var convA = nn.Conv2d(c, 2 * growth, 1, bias: false, dtype: float64);
            var bnB = RandomBn(2 * growth);
            var convB = nn.Conv2d(2 * growth, growth, 3, padding: 1, bias: false, dtype: float64);
            stepFunctions.Add(x => convB.call(nn.functional.relu(bnB.call(convA.call(nn.functional.relu(bnA.call(x)))))));
            var inShape = Img(c, size, size);
            var mid = Img(2 * growth, size, size);
            steps.Add(Seq(p, inShape, Img(growth, size, size),
                new Architecture.BatchNorm2d(p + ".norm1", inShape, inShape, c),
                new Activation(p + ".relu1", inShape, inShape, ActivationFunction.ReLU),
                ConvDesc(p + ".conv1", c, 2 * growth, size, 1, 1, 0),
                new Architecture.BatchNorm2d(p + ".norm2", mid, mid, 2 * growth),
                new Activation(p + ".relu2", mid, mid, ActivationFunction.ReLU),
                ConvDesc(p + ".conv2", 2 * growth, growth, size, 3, 1, 1)));
            // Both BatchNorms fold into the 1×1 convolution (norm1 across the ReLU, whose Jacobian is diagonal):
            // σ(norm2∘conv1∘norm1) is the norm of the affine map BN_B∘conv_A∘BN_A's dense Jacobian.
            values["sigma_" + p + ".norm2∘conv1∘norm1"] = JacobianNorm(x => bnB.call(convA.call(bnA.call(x))), zeros(1, c, size, size, dtype: float64));
            values["sigma_" + p + ".conv2"] = ConvSigma(convB, 2 * growth, size, 1, 1);
            c += growth;
        }
        var description = new DenseBlock("features.denseblock1", Img(3, size, size), Img(c, size, size), steps.ToEquatableList());
        Func<Tensor, Tensor> block = x =>
        {
            foreach (var h in stepFunctions)
            {
                x = cat(new[] { x, h(x) }, 1);
            }
            return x;
        };
        double bound = BoundDeriver.FactorOf(description).Evaluate(values);
        for (int trial = 0; trial < 3; trial++)
        {
            AssertBounded(JacobianNorm(block, randn(1, 3, size, size, dtype: float64)), bound, "dense block");
        }
    }

    [Fact]
    public void Transformer_block_factor_bounds_the_jacobian_with_the_measured_variance_floors()
    {
        using var scope = NewDisposeScope();
        Seed(34);
        const int tokens = 5;
        const int dim = 8;
        const int heads = 2;
        const int hidden = 16;
        const string p = "encoder.layers.encoder_layer_0";
        var ln1 = nn.LayerNorm(new long[] { dim }, eps: 1e-6, dtype: float64);
        var ln2 = nn.LayerNorm(new long[] { dim }, eps: 1e-6, dtype: float64);
        var mha = nn.MultiheadAttention(dim, heads);
        mha.to(float64);
        var fc1 = nn.Linear(dim, hidden, dtype: float64);
        var fc2 = nn.Linear(hidden, dim, dtype: float64);
        using (no_grad())
        {
            foreach (var layerNorm in new[] { ln1, ln2 })
            {
                layerNorm.weight!.copy_(1 + 0.3 * randn(dim, dtype: float64));
                layerNorm.bias!.copy_(0.3 * randn(dim, dtype: float64));
            }
            foreach (var (_, parameter) in mha.named_parameters())
            {
                parameter.copy_(randn(parameter.shape, dtype: float64) * 1.5 / Math.Sqrt(dim));
            }
        }
        Tensor Attend(Tensor x)
        {
            Tensor t = x.reshape(tokens, 1, dim);
            var (y, _) = mha.call(t, t, t, null, false, null);
            return y.reshape(tokens, dim);
        }
        Func<Tensor, Tensor> block = x =>
        {
            Tensor afterAttention = x + Attend(ln1.call(x));
            return afterAttention + fc2.call(nn.functional.gelu(fc1.call(ln2.call(afterAttention))));
        };

        var seq = Shape.Tokens(tokens, dim);
        var hiddenShape = Shape.Tokens(tokens, hidden);
        var description = Seq(p, seq, seq,
            new Residual(p + ".attention", seq, seq, Seq(p + ".attention", seq, seq,
                new Architecture.LayerNorm(p + ".ln_1", seq, seq, dim, 1e-6),
                new MultiHeadSelfAttention(p + ".self_attention", seq, seq, dim, heads),
                new Dropout(p + ".dropout", seq, seq, 0.0)), null, null),
            new Residual(p + ".mlp_block", seq, seq, Seq(p + ".mlp_block", seq, seq,
                new Architecture.LayerNorm(p + ".ln_2", seq, seq, dim, 1e-6),
                new Linear(p + ".mlp.0", seq, hiddenShape, dim, hidden, true),
                new Activation(p + ".mlp.1", hiddenShape, hiddenShape, ActivationFunction.GELU),
                new Linear(p + ".mlp.3", hiddenShape, seq, hidden, dim, true)), null, null));
        Expr factor = BoundDeriver.FactorOf(description);
        Assert.DoesNotContain(factor.Symbols(), s => s.Meaning?.Quantity == Quantity.InputRadius);

        // ln_1's γ and β fold into the projections (W·diag γ, b + W·β), ln_2's γ into mlp.0 (W·diag γ).
        var parameters = mha.named_parameters().ToDictionary(q => q.name, q => q.parameter.detach());
        Tensor inProjection = parameters["in_proj_weight"];
        using Scalar one = 1.0.ToScalar();
        Tensor foldedBias = parameters["in_proj_bias"].add(inProjection.matmul(ln1.bias!.detach()), one);
        Tensor foldedWeight = inProjection.mul(ln1.weight!.detach().view(1, -1));
        var values = AttentionQuantities.Of(foldedWeight, foldedBias, parameters["out_proj.weight"], p + ".self_attention∘ln_1", dim, heads);
        values["sigma_" + p + ".mlp.0∘ln_2"] = SpectralNorm(fc1.weight!.detach().mul(ln2.weight!.detach().view(1, -1)));
        values["sigma_" + p + ".mlp.3"] = SpectralNorm(fc2.weight!.detach());
        for (int trial = 0; trial < 3; trial++)
        {
            Tensor x = randn(tokens, dim, dtype: float64) * (0.5 + trial);
            // The variance floors are the assumption; here they are measured at this very input.
            values["vmin_" + p + ".ln_1"] = x.var(1, unbiased: false).min().item<double>();
            Tensor afterAttention = x + Attend(ln1.call(x));
            values["vmin_" + p + ".ln_2"] = afterAttention.var(1, unbiased: false).min().item<double>();
            AssertBounded(JacobianNorm(block, x), factor.Evaluate(values), $"transformer block, trial {trial}");
        }
    }
}

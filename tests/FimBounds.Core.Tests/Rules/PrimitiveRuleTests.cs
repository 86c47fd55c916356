using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Core.Collections;
using TorchSharp;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>
/// Every primitive rule against the true Jacobian: the factor, evaluated at quantities computed exactly
/// from the weights, bounds ‖J(x)‖₂ at random inputs (and is attained where the rule is exact).
/// </summary>
public class PrimitiveRuleTests
{
    private static readonly Dictionary<string, double> NoSymbols = new();

    private static double Factor(Layer layer, IReadOnlyDictionary<string, double>? values = null) =>
        BoundDeriver.FactorOf(layer).Evaluate(values ?? NoSymbols);

    private static Shape Img(int c, int h, int w) => Shape.Image(c, h, w);

    [Theory]
    [InlineData(ActivationFunction.ReLU, 0.01)]
    [InlineData(ActivationFunction.LeakyReLU, 0.2)]
    [InlineData(ActivationFunction.LeakyReLU, 3.0)]
    [InlineData(ActivationFunction.Tanh, 0.01)]
    [InlineData(ActivationFunction.Sigmoid, 0.01)]
    [InlineData(ActivationFunction.GELU, 0.01)]
    public void Activation_factor_bounds_the_derivative_everywhere(ActivationFunction function, double slope)
    {
        using var scope = NewDisposeScope();
        Seed(1);
        Func<Tensor, Tensor> f = function switch
        {
            ActivationFunction.ReLU => x => nn.functional.relu(x),
            ActivationFunction.LeakyReLU => x => nn.functional.leaky_relu(x, slope),
            ActivationFunction.Tanh => x => tanh(x),
            ActivationFunction.Sigmoid => x => sigmoid(x),
            _ => x => nn.functional.gelu(x),
        };
        double factor = Factor(new Activation("act", Shape.Vector(8), Shape.Vector(8), function, slope));

        // Elementwise: the Jacobian is diag(f'(x)); on a dense grid its sup is the sup of |f'|.
        Tensor grid = linspace(-12, 12, 240001, dtype: float64).requires_grad_(true);
        Tensor derivative = autograd.grad(new[] { f(grid).sum() }, new[] { grid })[0];
        double sup = derivative.abs().max().item<double>();
        AssertBounded(sup, factor, function.ToString());
        Assert.True(factor - sup < 0.002, $"{function}: the constant {factor} is loose against sup |f'| = {sup}");

        Tensor x = randn(8, dtype: float64) * 3;
        AssertBounded(JacobianNorm(f, x), factor, function + " Jacobian");
    }

    [Fact]
    public void Linear_factor_is_the_spectral_norm()
    {
        using var scope = NewDisposeScope();
        Seed(2);
        var linear = nn.Linear(7, 5, hasBias: true, dtype: float64);
        var layer = new Linear("fc", Shape.Vector(7), Shape.Vector(5), 7, 5, true);
        double sigma = SpectralNorm(linear.weight!);
        double factor = Factor(layer, new Dictionary<string, double> { ["sigma_fc"] = sigma });
        AssertExact(JacobianNorm(x => linear.call(x), randn(7, dtype: float64)), factor, "linear");
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(1, 2, 0)]
    public void Conv_factor_is_the_operator_norm_at_the_input_size(int kernel, int stride, int padding)
    {
        using var scope = NewDisposeScope();
        Seed(3);
        var conv = nn.Conv2d(2, 3, kernel, stride: stride, padding: padding, bias: true, dtype: float64);
        int outSize = (6 + 2 * padding - kernel) / stride + 1;
        var layer = new Conv2d("features.0", Img(2, 6, 6), Img(3, outSize, outSize), 2, 3, kernel, stride, padding, 1, true);
        // σ: the operator norm of the bias-free convolution at this input size (its dense matrix).
        Tensor weight = conv.weight!.detach();
        double sigma = JacobianNorm(x => nn.functional.conv2d(x, weight, null, new long[] { stride }, new long[] { padding }), zeros(1, 2, 6, 6, dtype: float64));
        double factor = Factor(layer, new Dictionary<string, double> { ["sigma_features.0"] = sigma });
        AssertExact(JacobianNorm(x => conv.call(x), randn(1, 2, 6, 6, dtype: float64)), factor, "conv");
    }

    [Fact]
    public void Patch_embedding_factor_is_the_norm_of_the_reshaped_kernel()
    {
        using var scope = NewDisposeScope();
        Seed(4);
        const int patch = 4;
        var conv = nn.Conv2d(2, 6, patch, stride: patch, bias: true, dtype: float64);
        var layer = new PatchEmbedding("conv_proj", Img(2, 8, 8), Shape.Tokens(4, 6), 2, 6, patch);
        double sigma = SpectralNorm(conv.weight!.detach().reshape(6, -1));
        double factor = Factor(layer, new Dictionary<string, double> { ["sigma_conv_proj"] = sigma });
        Func<Tensor, Tensor> embed = x => conv.call(x).flatten(2).transpose(1, 2);
        AssertExact(JacobianNorm(embed, randn(1, 2, 8, 8, dtype: float64)), factor, "patch embedding");
    }

    [Theory]
    [InlineData(2, 2, 0, 8, 4)]
    [InlineData(3, 2, 1, 8, 4)]
    [InlineData(3, 1, 1, 6, 6)]
    [InlineData(3, 3, 0, 7, 2)]
    [InlineData(5, 2, 2, 7, 4)]
    public void Max_pool_factor_bounds_and_attains_the_jacobian_norm(int kernel, int stride, int padding, int size, int outSize)
    {
        using var scope = NewDisposeScope();
        Seed(5);
        var pool = nn.MaxPool2d(kernel, stride, padding);
        var layer = new MaxPool2d("pool", Img(1, size, size), Img(1, outSize, outSize), kernel, stride, padding);
        Assert.Equal(new long[] { 1, 1, outSize, outSize }, pool.call(zeros(1, 1, size, size, dtype: float64)).shape);
        double factor = Factor(layer);
        for (int i = 0; i < 5; i++)
        {
            AssertBounded(JacobianNorm(x => pool.call(x), randn(1, 1, size, size, dtype: float64)), factor, "max pool, random input");
        }
        // The worst input: one peak that wins every window covering it; the norm is √(windows per input).
        double worst = 0;
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                Tensor x = rand(1, 1, size, size, dtype: float64) * 0.1;
                x[0, 0, r, c] = 10.0;
                worst = Math.Max(worst, JacobianNorm(t => pool.call(t), x));
            }
        }
        AssertExact(worst, factor, "max pool, peak inputs");
    }

    [Theory]
    [InlineData(2, 2, 0, 8, 4)]
    [InlineData(3, 1, 1, 6, 6)]
    [InlineData(3, 2, 1, 7, 4)]
    [InlineData(3, 3, 0, 8, 2)]
    public void Avg_pool_factor_bounds_the_operator_norm(int kernel, int stride, int padding, int size, int outSize)
    {
        using var scope = NewDisposeScope();
        Seed(6);
        var pool = nn.AvgPool2d(kernel, stride, padding);
        var layer = new AvgPool2d("pool", Img(1, size, size), Img(1, outSize, outSize), kernel, stride, padding);
        Assert.Equal(new long[] { 1, 1, outSize, outSize }, pool.call(zeros(1, 1, size, size, dtype: float64)).shape);
        double factor = Factor(layer);
        double norm = JacobianNorm(x => pool.call(x), randn(1, 1, size, size, dtype: float64));
        AssertBounded(norm, factor, "avg pool");
        if (kernel == stride && padding == 0)
        {
            AssertExact(norm, factor, "non-overlapping avg pool (1/k)");
        }
    }

    [Theory]
    [InlineData(6, 6, 1, 1)]
    [InlineData(5, 7, 3, 2)]
    [InlineData(7, 7, 4, 4)]
    [InlineData(6, 6, 3, 3)]
    public void Adaptive_avg_pool_factor_bounds_the_operator_norm_of_uneven_windows(int h, int w, int oh, int ow)
    {
        using var scope = NewDisposeScope();
        Seed(7);
        var pool = nn.AdaptiveAvgPool2d(new long[] { oh, ow });
        var layer = new AdaptiveAvgPool2d("avgpool", Img(1, h, w), Img(1, oh, ow), oh, ow);
        double factor = Factor(layer);
        double norm = JacobianNorm(x => pool.call(x), randn(1, 1, h, w, dtype: float64));
        AssertBounded(norm, factor, "adaptive avg pool");
        if (h % oh == 0 && w % ow == 0)
        {
            AssertExact(norm, factor, "even adaptive avg pool");
        }
    }

    [Fact]
    public void Batch_norm_factor_is_the_largest_channel_scale()
    {
        using var scope = NewDisposeScope();
        Seed(8);
        var bn = nn.BatchNorm2d(3, dtype: float64);
        using (no_grad())
        {
            bn.weight!.copy_(randn(3, dtype: float64));
            bn.bias!.copy_(randn(3, dtype: float64));
            bn.running_mean!.copy_(randn(3, dtype: float64));
            bn.running_var!.copy_(rand(3, dtype: float64) + 0.1);
        }
        bn.eval();
        double beta = (bn.weight!.detach().abs() / (bn.running_var!.detach() + 1e-5).sqrt()).max().item<double>();
        var layer = new BatchNorm2d("bn1", Img(3, 3, 3), Img(3, 3, 3), 3);
        double factor = Factor(layer, new Dictionary<string, double> { ["beta_bn1"] = beta });
        AssertExact(JacobianNorm(x => bn.call(x), randn(1, 3, 3, 3, dtype: float64)), factor, "batch norm");
    }

    [Fact]
    public void Layer_norm_factor_bounds_the_jacobian_on_tokens_above_the_variance_floor_and_tokens_stay_within_the_radius()
    {
        using var scope = NewDisposeScope();
        Seed(9);
        const int d = 6;
        var ln = nn.LayerNorm(new long[] { d }, eps: 1e-5, dtype: float64);
        using (no_grad())
        {
            ln.weight!.copy_(randn(d, dtype: float64) * 2);
            ln.bias!.copy_(randn(d, dtype: float64));
        }
        var layer = new LayerNorm("ln_1", Shape.Tokens(4, d), Shape.Tokens(4, d), d, 1e-5);
        double gamma = ln.weight!.detach().abs().max().item<double>();
        double shift = ln.bias!.detach().norm().item<double>();
        foreach (double scale in new[] { 0.01, 0.3, 1.0, 5.0 })
        {
            Tensor x = randn(4, d, dtype: float64) * scale;
            double vmin = x.var(1, unbiased: false).min().item<double>();
            var values = new Dictionary<string, double> { ["gamma_ln_1"] = gamma, ["vmin_ln_1"] = vmin };
            AssertBounded(JacobianNorm(t => ln.call(t), x), Factor(layer, values), $"layer norm at scale {scale}");

            double radius = LayerRules.LayerNormOutputRadius(layer).Evaluate(new Dictionary<string, double> { ["gamma_ln_1"] = gamma, ["shift_ln_1"] = shift });
            double largest = ln.call(x).norm(1).max().item<double>();
            AssertBounded(largest, radius, "token norm after layer norm");
        }
    }

    [Fact]
    public void Normalize_factor_is_one_over_the_smallest_std()
    {
        using var scope = NewDisposeScope();
        Seed(10);
        var mean = new[] { 0.485, 0.456, 0.406 };
        var std = new[] { 0.229, 0.224, 0.225 };
        var layer = new Normalize("normalize", Img(3, 2, 2), Img(3, 2, 2), mean.ToEquatableList(), std.ToEquatableList());
        Assert.Equal(Expr.Rational(125, 28), BoundDeriver.FactorOf(layer));
        Tensor m = tensor(mean, dtype: float64).reshape(1, 3, 1, 1);
        Tensor s = tensor(std, dtype: float64).reshape(1, 3, 1, 1);
        AssertExact(JacobianNorm(x => (x - m) / s, rand(1, 3, 2, 2, dtype: float64)), Factor(layer), "normalize");
    }

    [Fact]
    public void Shape_and_token_layers_have_factor_one()
    {
        using var scope = NewDisposeScope();
        Seed(11);
        var seq = Shape.Tokens(4, 3);
        Tensor classToken = randn(1, 1, 3, dtype: float64);
        Tensor positions = randn(1, 5, 3, dtype: float64);
        var cases = new (Layer Layer, Func<Tensor, Tensor> F, Tensor X)[]
        {
            (new Dropout("drop", seq, seq, 0.5), x => nn.functional.dropout(x, 0.5, training: false), randn(4, 3, dtype: float64)),
            (new Flatten("flatten", Img(2, 2, 2), Shape.Vector(8)), x => x.flatten(1), randn(1, 2, 2, 2, dtype: float64)),
            (new TokenSelect("select", Shape.Tokens(5, 3), Shape.Vector(3), 0), x => x[.., 0], randn(1, 5, 3, dtype: float64)),
            (new ClassToken("class_token", seq, Shape.Tokens(5, 3), 3), x => cat(new[] { classToken, x }, 1), randn(1, 4, 3, dtype: float64)),
            (new PositionEmbedding("pos", Shape.Tokens(5, 3), Shape.Tokens(5, 3), 5, 3), x => x + positions, randn(1, 5, 3, dtype: float64)),
        };
        foreach (var (layer, f, x) in cases)
        {
            Assert.Equal(Expr.One, BoundDeriver.FactorOf(layer));
            AssertExact(JacobianNorm(f, x), 1.0, layer.Kind);
        }
    }
}

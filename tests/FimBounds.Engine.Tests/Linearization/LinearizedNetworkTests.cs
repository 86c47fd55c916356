using FimBounds.Engine.Linearization;
using FimBounds.Engine.Tests.Support;
using FimBounds.Nn.Modules;
using FimBounds.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Linearization;

/// <summary>
/// The recorded linear network is the model's Jacobian: its Jᵀu and Jv equal autograd's, layer kind by
/// layer kind and on the mini zoo (float64, eval mode, BatchNorms with trained-like statistics).
/// </summary>
public sealed class LinearizedNetworkTests
{
    public static TheoryData<string> LinearisableZoo => new() { "vgg-mini", "resnet-mini", "densenet-mini" };

    [Fact]
    public void Every_layer_kind_it_knows_matches_autograd()
    {
        TestTensors.Seed(5);
        nn.Module<Tensor, Tensor> model = nn.Sequential(
            ("normalize", new Normalize(new[] { 0.3 }, new[] { 0.4 })),
            ("strided", nn.Conv2d(1, 4, 3, stride: 2, padding: 1)),          // autograd transpose (strided)
            ("bn1", nn.BatchNorm2d(4)),                                          // folds into the convolution
            ("leaky", nn.LeakyReLU(0.1)),
            ("grouped", nn.Conv2d(4, 4, 3, padding: 1, groups: 2)),             // autograd transpose (grouped)
            ("tanh", nn.Tanh()),
            ("overlapping", nn.MaxPool2d(3, stride: 2, padding: 1)),            // windows share elements
            ("pointwise", nn.Conv2d(4, 8, 1)),
            ("bn2", nn.BatchNorm2d(8)),
            ("relu", nn.ReLU()),
            ("wide", nn.Conv2d(8, 8, 3, padding: 1)),                           // flipped-kernel transpose
            ("avg", nn.AvgPool2d(2)),
            ("sigmoid", nn.Sigmoid()),
            ("adaptive", nn.AdaptiveAvgPool2d(new long[] { 2, 2 })),            // 3×3 → 2×2: overlapping windows
            ("dropout", nn.Dropout(0.5)),
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(32, 10)),
            ("relu2", nn.ReLU()),
            ("fc2", nn.Linear(10, 5)));
        model = Nets.Scale(model.to(float64), 2.0);
        Nets.RandomiseBatchNorm(model, 5);
        model.eval();

        Assert.True(Linearizer.Supports(model));
        AssertMatchesAutograd(model, TestTensors.Pixels(6, 3, 1, 24, 24));
    }

    [Theory]
    [MemberData(nameof(LinearisableZoo))]
    public void Mini_zoo_models_match_autograd(string spec)
    {
        TestTensors.Seed(11);
        var model = ZooCatalog.Find(spec).CreateModel().to(float64);
        Nets.RandomiseBatchNorm(model, 11);
        model.eval();

        Assert.True(Linearizer.Supports(model));
        AssertMatchesAutograd(model, TestTensors.Pixels(12, 2, 1, 28, 28));
    }

    /// <summary>In the working precision of a trained model: float32 rows agree with autograd's to round-off.</summary>
    [Theory]
    [MemberData(nameof(LinearisableZoo))]
    public void Mini_zoo_models_match_autograd_in_float32(string spec)
    {
        TestTensors.Seed(13);
        var model = ZooCatalog.Find(spec).CreateModel();
        model.eval();
        AssertMatchesAutograd(model, TestTensors.Pixels(14, 2, 1, 28, 28).to(float32), tolerance: 1e-4);
    }

    [Fact]
    public void Models_with_attention_are_left_to_autograd()
    {
        TestTensors.Seed(1);
        Assert.False(Linearizer.Supports(ZooCatalog.Find("vit-mini").CreateModel()));
        Assert.False(Linearizer.Supports(nn.Sequential(("fc", nn.Linear(4, 4)), ("gelu", nn.GELU()))));
    }

    private static void AssertMatchesAutograd(nn.Module<Tensor, Tensor> model, Tensor x, double tolerance = 1e-10)
    {
        using var scope = NewDisposeScope();
        Tensor jacobian = AutogradJacobian(model, x);                       // [B, K, d]
        long batch = jacobian.shape[0];
        long classes = jacobian.shape[1];
        using var network = LinearizedNetwork.Record(model, x);
        using (no_grad())
        {
            AssertClose(model.call(x), network.Logits, "logits", tolerance);
        }

        for (long k = 0; k < classes; k++)
        {
            Tensor u = zeros(batch, classes, dtype: x.dtype);
            u[.., k] = 1;
            AssertClose(jacobian.select(1, k), network.Vjp(u).reshape(batch, -1), $"Jᵀe_{k}", tolerance);
        }
        TestTensors.Seed(3);
        Tensor v = randn(x.shape, dtype: x.dtype);
        Tensor expected = bmm(jacobian, v.reshape(batch, -1, 1)).squeeze(2);
        AssertClose(expected, network.Jvp(v), "Jv", tolerance);
    }

    private static Tensor AutogradJacobian(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        Tensor leaf = x.detach().requires_grad_(true);
        Tensor z = model.call(leaf);
        var rows = new List<Tensor>();
        for (long k = 0; k < z.shape[1]; k++)
        {
            rows.Add(autograd.grad(new[] { z.select(1, k).sum() }, new[] { leaf }, retain_graph: true)[0].reshape(x.shape[0], -1));
        }
        return stack(rows, 1);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance)
    {
        double scale = expected.abs().max().to(float64).item<double>();
        double error = (expected - actual).abs().max().to(float64).item<double>() / scale;
        Assert.True(scale > 0, $"{what}: the reference is all zero, so the comparison proves nothing");
        Assert.True(error < tolerance, $"{what}: linearised network differs from autograd by {error:E2} relative");
    }
}

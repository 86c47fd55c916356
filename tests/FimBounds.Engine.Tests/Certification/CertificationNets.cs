using FimBounds.Engine.Tests.Support;
using FimBounds.Nn.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>Small float64 classifiers that together hold every layer kind certification supports.</summary>
internal static class CertificationNets
{
    public static IReadOnlyList<string> Names { get; } = new[] { "every-layer", "residual", "dense" };

    public static nn.Module<Tensor, Tensor> Create(string name, long seed)
    {
        TestTensors.Seed(seed);
        nn.Module<Tensor, Tensor> model = name switch
        {
            "every-layer" => nn.Sequential(
                ("normalize", new Normalize(new[] { 0.3 }, new[] { 0.4 })),
                ("strided", nn.Conv2d(1, 4, 3, stride: 2, padding: 1)),
                ("bn1", nn.BatchNorm2d(4)),
                ("leaky", nn.LeakyReLU(0.1)),
                ("grouped", nn.Conv2d(4, 4, 3, padding: 1, groups: 2)),
                ("tanh", nn.Tanh()),
                ("overlapping", nn.MaxPool2d(3, stride: 2, padding: 1)),
                ("pointwise", nn.Conv2d(4, 8, 1)),
                ("bn2", nn.BatchNorm2d(8)),
                ("relu", nn.ReLU()),
                ("wide", nn.Conv2d(8, 8, 3, padding: 1)),
                ("avg", nn.AvgPool2d(2)),
                ("sigmoid", nn.Sigmoid()),
                ("adaptive", nn.AdaptiveAvgPool2d(new long[] { 2, 2 })),
                ("dropout", nn.Dropout(0.5)),
                ("flatten", nn.Flatten()),
                ("fc1", nn.Linear(32, 10)),
                ("relu2", nn.ReLU()),
                ("fc2", nn.Linear(10, 5))),
            "residual" => new Chain(
                ChainItem.Layer("conv1", nn.Conv2d(1, 4, 3, padding: 1, bias: false)),
                ChainItem.Layer("bn1", nn.BatchNorm2d(4)),
                ChainItem.Layer("relu", nn.ReLU()),
                ChainItem.Residual(
                    new[]
                    {
                        ChainItem.Layer("b1conv1", nn.Conv2d(4, 4, 3, padding: 1, bias: false)),
                        ChainItem.Layer("b1relu", nn.ReLU()),
                        ChainItem.Layer("b1conv2", nn.Conv2d(4, 4, 3, padding: 1, bias: false)),
                    },
                    after: ("b1out", nn.ReLU())),
                ChainItem.Residual(
                    new[]
                    {
                        ChainItem.Layer("b2conv1", nn.Conv2d(4, 6, 3, stride: 2, padding: 1, bias: false)),
                        ChainItem.Layer("b2bn", nn.BatchNorm2d(6)),
                        ChainItem.Layer("b2relu", nn.ReLU()),
                    },
                    shortcut: ("downsample", nn.Conv2d(4, 6, 1, stride: 2, bias: false)),
                    after: ("b2out", nn.ReLU())),
                ChainItem.Layer("avgpool", nn.AdaptiveAvgPool2d(1)),
                ChainItem.Layer("flatten", nn.Flatten()),
                ChainItem.Layer("fc", nn.Linear(6, 6))),
            "dense" => new Chain(
                ChainItem.Layer("conv0", nn.Conv2d(1, 4, 3, padding: 1, bias: false)),
                ChainItem.Dense("layer1", nn.Sequential(("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()), ("conv", nn.Conv2d(4, 2, 3, padding: 1, bias: false)))),
                ChainItem.Dense("layer2", nn.Sequential(("bn", nn.BatchNorm2d(6)), ("relu", nn.ReLU()), ("conv", nn.Conv2d(6, 2, 3, padding: 1, bias: false)))),
                ChainItem.Layer("pool", nn.AvgPool2d(2)),
                ChainItem.Layer("relu", nn.ReLU()),
                ChainItem.Layer("flatten", nn.Flatten()),
                ChainItem.Layer("fc", nn.Linear(8 * 4 * 4, 4))),
            _ => throw new ArgumentException(name),
        };
        model = Nets.Scale(model.to(float64), 2.0);
        Nets.RandomiseBatchNorm(model, seed);
        model.eval();
        return model;
    }

    /// <summary>Input shape [C, H, W]: 24×24 gives every-layer's adaptive pool overlapping windows (3×3 → 2×2).</summary>
    public static long[] InputShape(string name) => name == "every-layer" ? new long[] { 1, 24, 24 } : new long[] { 1, 8, 8 };
}

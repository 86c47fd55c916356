using FimBounds.Core.Architecture;

namespace FimBounds.Engine.Tests.Support;

/// <summary>Small networks that together cover every layer kind of the architecture description.</summary>
public static class TestNetworks
{
    public static IReadOnlyList<string> Names { get; } = new[] { "vgg-like", "resnet-like", "densenet-like", "vit-like", "folds-like" };

    public static ArchitectureDescription Describe(string name) => name switch
    {
        "vgg-like" => DescriptionBuilder.Describe(name, Shape.Image(2, 8, 8), 5, b => b
            .Normalize(new[] { 0.4, 0.5 }, new[] { 0.3, 0.25 })
            .Conv(4, 3, padding: 1).BatchNorm().Act(ActivationFunction.ReLU)
            .MaxPool(2, 2)
            .Conv(4, 3, padding: 1, groups: 2).BatchNorm().Act(ActivationFunction.LeakyReLU, 0.1)
            .MaxPool(3, 1, 1)
            .Conv(6, 3, stride: 2, padding: 1, bias: false).Act(ActivationFunction.Sigmoid)
            .AvgPool(3, 1, 1)
            .AdaptiveAvgPool(1, 1)
            .Flatten().Dropout()
            .Linear(12).Act(ActivationFunction.Tanh)
            .Linear(5), ArchitectureFamily.Vgg),
        "resnet-like" => DescriptionBuilder.Describe(name, Shape.Image(1, 8, 8), 6, b => b
            .Conv(4, 3, padding: 1, bias: false).BatchNorm().Act(ActivationFunction.ReLU)
            .Residual(body => body.Conv(4, 3, padding: 1, bias: false).BatchNorm().Act(ActivationFunction.ReLU).Conv(4, 3, padding: 1, bias: false).BatchNorm(),
                after: ActivationFunction.ReLU)
            .Residual(body => body.Conv(6, 3, stride: 2, padding: 1, bias: false).BatchNorm().Act(ActivationFunction.ReLU).Conv(6, 3, padding: 1, bias: false).BatchNorm(),
                projection: p => p.Conv(6, 1, stride: 2, bias: false).BatchNorm(),
                after: ActivationFunction.ReLU)
            .AdaptiveAvgPool(1, 1).Flatten()
            .Linear(6), ArchitectureFamily.ResNet),
        "densenet-like" => DescriptionBuilder.Describe(name, Shape.Image(1, 8, 8), 4, b => b
            .Conv(4, 3, padding: 1, bias: false)
            .DenseBlock(2, step => step.BatchNorm().Act(ActivationFunction.ReLU).Conv(4, 1, bias: false)
                .BatchNorm().Act(ActivationFunction.ReLU).Conv(2, 3, padding: 1, bias: false))
            .BatchNorm().Act(ActivationFunction.ReLU).Conv(4, 1, bias: false).AvgPool(2, 2)
            .BatchNorm().Act(ActivationFunction.ReLU)
            .AdaptiveAvgPool(1, 1).Flatten()
            .Linear(4), ArchitectureFamily.DenseNet),
        "vit-like" => DescriptionBuilder.Describe(name, Shape.Image(1, 8, 8), 5, b => b
            .Normalize(new[] { 0.3 }, new[] { 0.35 })
            .PatchEmbedding(8, 4)
            .ClassToken()
            .PositionEmbedding()
            .Residual(body => body.LayerNorm().Attention(2).Dropout(0.0))
            .Residual(body => body.LayerNorm().Linear(16).Act(ActivationFunction.GELU).Dropout(0.0).Linear(8))
            .LayerNorm()
            .SelectToken()
            .Linear(5), ArchitectureFamily.Transformer),
        // BatchNorm scales folded into the next linear map across every kind of layer that commutes with
        // them: a pre- and post-folded convolution with max pooling between, average pooling with padding,
        // and an adaptive pool + flatten into a Linear (each channel repeated over 2×2 columns).
        "folds-like" => DescriptionBuilder.Describe(name, Shape.Image(3, 8, 8), 5, b => b
            .Conv(6, 3, padding: 1, bias: false).Act(ActivationFunction.ReLU)
            .BatchNorm().Act(ActivationFunction.ReLU).MaxPool(2, 2).Conv(5, 3, padding: 1).BatchNorm()
            .BatchNorm().Act(ActivationFunction.LeakyReLU, 0.2).AvgPool(3, 1, 1).Conv(4, 1).Act(ActivationFunction.Tanh)
            .BatchNorm().Act(ActivationFunction.ReLU).AdaptiveAvgPool(2, 2).Flatten().Dropout().Linear(5), ArchitectureFamily.Other),
        _ => throw new ArgumentException(name),
    };
}

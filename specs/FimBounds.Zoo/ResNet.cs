using FimBounds.Spec;

namespace FimBounds.Zoo;

// ResNet (He et al., 2016), torchvision layout: conv1, bn1, relu, maxpool, layerX.Y.{conv1,bn1,conv2,bn2,downsample}, avgpool, fc.

/// <summary>
/// The basic block: two 3×3 convolutions; the shortcut is the identity, or a strided 1×1 projection
/// ("downsample") where the block changes the shape; one ReLU module applied inside and after the sum.
/// </summary>
[ResidualBlock(Shortcut = Shortcut.Auto, After = Nonlinearity.ReLU, AfterName = "relu")]
[Conv2d(BlockParam.Channels, 3, Stride = BlockParam.Stride, Padding = 1, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "bn1")]
[ReLU(Name = "relu")]
[Conv2d(BlockParam.Channels, 3, Padding = 1, Bias = false, Name = "conv2")]
[BatchNorm2d(Name = "bn2")]
public sealed class BasicBlock;

[Architecture("resnet18", Family = Family.ResNet, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "bn1")]
[ReLU(Name = "relu")]
[MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Repeat(typeof(BasicBlock), 2, Name = "layer1", Channels = 64, Stride = 1)]
[Repeat(typeof(BasicBlock), 2, Name = "layer2", Channels = 128, Stride = 2)]
[Repeat(typeof(BasicBlock), 2, Name = "layer3", Channels = 256, Stride = 2)]
[Repeat(typeof(BasicBlock), 2, Name = "layer4", Channels = 512, Stride = 2)]
[AdaptiveAvgPool2d(1, 1, Name = "avgpool")]
[Flatten]
[Classifier(Name = "fc")]
public partial class ResNet18;

[Architecture("resnet34", Family = Family.ResNet, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "bn1")]
[ReLU(Name = "relu")]
[MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Repeat(typeof(BasicBlock), 3, Name = "layer1", Channels = 64, Stride = 1)]
[Repeat(typeof(BasicBlock), 4, Name = "layer2", Channels = 128, Stride = 2)]
[Repeat(typeof(BasicBlock), 6, Name = "layer3", Channels = 256, Stride = 2)]
[Repeat(typeof(BasicBlock), 3, Name = "layer4", Channels = 512, Stride = 2)]
[AdaptiveAvgPool2d(1, 1, Name = "avgpool")]
[Flatten]
[Classifier(Name = "fc")]
public partial class ResNet34;

/// <summary>ResNet at Fashion-MNIST scale: a 3×3 stem, three stages of two basic blocks (16, 32, 64 channels).</summary>
[Architecture("resnet-mini", Family = Family.ResNet, Input = new[] { 1, 28, 28 }, Classes = 10)]
[Normalize(new[] { 0.2860 }, new[] { 0.3530 })]
[Conv2d(16, 3, Padding = 1, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "bn1")]
[ReLU(Name = "relu")]
[MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Repeat(typeof(BasicBlock), 2, Name = "layer1", Channels = 16, Stride = 1)]
[Repeat(typeof(BasicBlock), 2, Name = "layer2", Channels = 32, Stride = 2)]
[Repeat(typeof(BasicBlock), 2, Name = "layer3", Channels = 64, Stride = 2)]
[AdaptiveAvgPool2d(1, 1, Name = "avgpool")]
[Flatten]
[Classifier(Name = "fc")]
public partial class ResNetMini;

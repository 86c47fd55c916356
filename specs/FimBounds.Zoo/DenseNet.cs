using FimBounds.Spec;

namespace FimBounds.Zoo;

// DenseNet (Huang et al., 2017), torchvision layout: features.{conv0,norm0,relu0,pool0,denseblockX.denselayerY.*,
// transitionX.*,norm5}, classifier. Every dense layer appends its growth-rate channels to its input.

/// <summary>The DenseNet-121 bottleneck layer: BN-ReLU-1×1 conv (4·growth = 128) then BN-ReLU-3×3 conv (growth).</summary>
[Block]
[BatchNorm2d(Name = "norm1")] [ReLU(Name = "relu1")] [Conv2d(128, 1, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "norm2")] [ReLU(Name = "relu2")] [Conv2d(BlockParam.Channels, 3, Padding = 1, Bias = false, Name = "conv2")]
public sealed class DenseLayer;

/// <summary>The transition between dense blocks: BN-ReLU-1×1 conv to the given channels, 2×2 average pool.</summary>
[Block]
[BatchNorm2d(Name = "norm")] [ReLU(Name = "relu")] [Conv2d(BlockParam.Channels, 1, Bias = false, Name = "conv")] [AvgPool2d(2, Name = "pool")]
public sealed class Transition;

[Architecture("densenet121", Family = Family.DenseNet, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[Stage("features")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv0")]
[BatchNorm2d(Name = "norm0")] [ReLU(Name = "relu0")] [MaxPool2d(3, Stride = 2, Padding = 1, Name = "pool0")]
[DenseBlock(typeof(DenseLayer), 6, Name = "denseblock1", Channels = 32)]  [Use(typeof(Transition), Name = "transition1", Channels = 128)]
[DenseBlock(typeof(DenseLayer), 12, Name = "denseblock2", Channels = 32)] [Use(typeof(Transition), Name = "transition2", Channels = 256)]
[DenseBlock(typeof(DenseLayer), 24, Name = "denseblock3", Channels = 32)] [Use(typeof(Transition), Name = "transition3", Channels = 512)]
[DenseBlock(typeof(DenseLayer), 16, Name = "denseblock4", Channels = 32)]
[BatchNorm2d(Name = "norm5")]
[EndStage]
[ReLU(Name = "relu")]
[AdaptiveAvgPool2d(1, 1, Name = "avgpool")]
[Flatten]
[Classifier(Name = "classifier")]
public partial class DenseNet121;

/// <summary>The mini dense layer: bottleneck 4·12 = 48 channels, growth 12.</summary>
[Block]
[BatchNorm2d(Name = "norm1")] [ReLU(Name = "relu1")] [Conv2d(48, 1, Bias = false, Name = "conv1")]
[BatchNorm2d(Name = "norm2")] [ReLU(Name = "relu2")] [Conv2d(BlockParam.Channels, 3, Padding = 1, Bias = false, Name = "conv2")]
public sealed class MiniDenseLayer;

/// <summary>
/// DenseNet at Fashion-MNIST scale: two dense blocks of three layers (growth 12, bottleneck 48) around one
/// transition. Kept shallow because every dense layer is six small operations plus a concatenation.
/// </summary>
[Architecture("densenet-mini", Family = Family.DenseNet, Input = new[] { 1, 28, 28 }, Classes = 10)]
[Normalize(new[] { 0.2860 }, new[] { 0.3530 })]
[Stage("features")]
[Conv2d(32, 3, Padding = 1, Bias = false, Name = "conv0")]
[BatchNorm2d(Name = "norm0")] [ReLU(Name = "relu0")] [MaxPool2d(2, Name = "pool0")]
[DenseBlock(typeof(MiniDenseLayer), 3, Name = "denseblock1", Channels = 12)] [Use(typeof(Transition), Name = "transition1", Channels = 48)]
[DenseBlock(typeof(MiniDenseLayer), 3, Name = "denseblock2", Channels = 12)]
[BatchNorm2d(Name = "norm5")]
[EndStage]
[ReLU(Name = "relu")]
[AdaptiveAvgPool2d(1, 1, Name = "avgpool")]
[Flatten]
[Classifier(Name = "classifier")]
public partial class DenseNetMini;

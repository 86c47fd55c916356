using FimBounds.Spec;

namespace FimBounds.Zoo;

// VGG (Simonyan & Zisserman, 2015), torchvision layout: features.N, avgpool, classifier.N.
// Configuration A (VGG11) and D (VGG16): 3×3 convolutions with padding 1, 2×2 max pools, three FC layers.

[Architecture("vgg11", Family = Family.Vgg, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[Stage("features")]
[Conv2d(64, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(256, 3, Padding = 1)] [ReLU] [Conv2d(256, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[EndStage]
[AdaptiveAvgPool2d(7, 7, Name = "avgpool")]
[Flatten]
[Stage("classifier")]
[Linear(4096)] [ReLU] [Dropout(0.5)]
[Linear(4096)] [ReLU] [Dropout(0.5)]
[Classifier]
public partial class Vgg11;

[Architecture("vgg16", Family = Family.Vgg, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[Stage("features")]
[Conv2d(64, 3, Padding = 1)] [ReLU] [Conv2d(64, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1)] [ReLU] [Conv2d(128, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(256, 3, Padding = 1)] [ReLU] [Conv2d(256, 3, Padding = 1)] [ReLU] [Conv2d(256, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [Conv2d(512, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[EndStage]
[AdaptiveAvgPool2d(7, 7, Name = "avgpool")]
[Flatten]
[Stage("classifier")]
[Linear(4096)] [ReLU] [Dropout(0.5)]
[Linear(4096)] [ReLU] [Dropout(0.5)]
[Classifier]
public partial class Vgg16;

/// <summary>VGG at Fashion-MNIST scale: two conv pairs (16, 32 channels) and a small classifier.</summary>
[Architecture("vgg-mini", Family = Family.Vgg, Input = new[] { 1, 28, 28 }, Classes = 10)]
[Normalize(new[] { 0.2860 }, new[] { 0.3530 })]
[Stage("features")]
[Conv2d(16, 3, Padding = 1)] [ReLU] [Conv2d(16, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1)] [ReLU] [Conv2d(32, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
[EndStage]
[AdaptiveAvgPool2d(7, 7, Name = "avgpool")]
[Flatten]
[Stage("classifier")]
[Linear(64)] [ReLU] [Dropout(0.25)]
[Linear(64)] [ReLU] [Dropout(0.25)]
[Classifier]
public partial class VggMini;

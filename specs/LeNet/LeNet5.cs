using FimBounds.Spec;

namespace LeNet;

// LeNet-5 (LeCun et al., 1998) at Fashion-MNIST scale, written as plainly as nn.Sequential would be: the
// unnamed layers are numbered 0…11, so the state_dict keys are those of the same nn.Sequential in PyTorch.
[Architecture("lenet5", Input = new[] { 1, 28, 28 }, Classes = 10)]
[Conv2d(6, 5, Padding = 2)] [ReLU] [MaxPool2d(2)]
[Conv2d(16, 5)] [ReLU] [MaxPool2d(2)]
[Flatten]
[Linear(120)] [ReLU]
[Linear(84)] [ReLU]
[Classifier]
public partial class LeNet5;

/// <summary>The same network with Tanh, as in the original paper.</summary>
[Architecture("lenet5-tanh", Input = new[] { 1, 28, 28 }, Classes = 10)]
[Conv2d(6, 5, Padding = 2)] [Tanh] [AvgPool2d(2)]
[Conv2d(16, 5)] [Tanh] [AvgPool2d(2)]
[Flatten]
[Linear(120)] [Tanh]
[Linear(84)] [Tanh]
[Classifier]
public partial class LeNet5Tanh;

namespace FimBounds.Core.Architecture;

// The primitive layers, one record each. Parameters follow PyTorch's parameterisation exactly, so the
// parameter counts match torchvision's.

public sealed record Conv2d(
    string Path, Shape Input, Shape Output,
    int InChannels, int OutChannels, int KernelSize, int Stride, int Padding, int Groups, bool Bias)
    : Layer(Path, Input, Output)
{
    public override string Kind => "conv2d";

    public override long Parameters =>
        (long)OutChannels * (InChannels / Groups) * KernelSize * KernelSize + (Bias ? OutChannels : 0);
}

public sealed record Linear(string Path, Shape Input, Shape Output, int InFeatures, int OutFeatures, bool Bias)
    : Layer(Path, Input, Output)
{
    public override string Kind => "linear";

    public override long Parameters => (long)InFeatures * OutFeatures + (Bias ? OutFeatures : 0);
}

public enum ActivationFunction
{
    ReLU,
    LeakyReLU,
    GELU,
    Tanh,
    Sigmoid,
}

public sealed record Activation(string Path, Shape Input, Shape Output, ActivationFunction Function, double NegativeSlope = 0.01)
    : Layer(Path, Input, Output)
{
    public override string Kind => Function.ToString().ToLowerInvariant();

    public override long Parameters => 0;
}

public sealed record MaxPool2d(string Path, Shape Input, Shape Output, int KernelSize, int Stride, int Padding)
    : Layer(Path, Input, Output)
{
    public override string Kind => "maxpool2d";

    public override long Parameters => 0;
}

public sealed record AvgPool2d(string Path, Shape Input, Shape Output, int KernelSize, int Stride, int Padding)
    : Layer(Path, Input, Output)
{
    public override string Kind => "avgpool2d";

    public override long Parameters => 0;
}

/// <summary>PyTorch's adaptive average pool to a fixed output size (global pool when 1×1).</summary>
public sealed record AdaptiveAvgPool2d(string Path, Shape Input, Shape Output, int OutputHeight, int OutputWidth)
    : Layer(Path, Input, Output)
{
    public override string Kind => "adaptiveavgpool2d";

    public override long Parameters => 0;
}

/// <summary>BatchNorm2d in eval mode: a per-channel affine map with the running statistics.</summary>
public sealed record BatchNorm2d(string Path, Shape Input, Shape Output, int Channels, double Eps = 1e-5)
    : Layer(Path, Input, Output)
{
    public override string Kind => "batchnorm2d";

    public override long Parameters => 2L * Channels;
}

/// <summary>LayerNorm over the last dimension (per token).</summary>
public sealed record LayerNorm(string Path, Shape Input, Shape Output, int Features, double Eps = 1e-5)
    : Layer(Path, Input, Output)
{
    public override string Kind => "layernorm";

    public override long Parameters => 2L * Features;
}

public sealed record Dropout(string Path, Shape Input, Shape Output, double Probability)
    : Layer(Path, Input, Output)
{
    public override string Kind => "dropout";

    public override long Parameters => 0;
}

public sealed record Flatten(string Path, Shape Input, Shape Output) : Layer(Path, Input, Output)
{
    public override string Kind => "flatten";

    public override long Parameters => 0;
}

/// <summary>
/// Per-channel input normalisation (x − mean)/std declared by the spec, so the model takes pixels in
/// [0,1] and attack budgets ε are stated in pixel space. No parameters (constants, not state_dict keys);
/// its Lipschitz factor is exactly 1/minₖ stdₖ.
/// </summary>
public sealed record Normalize(string Path, Shape Input, Shape Output, FimBounds.Core.Collections.EquatableList<double> Mean, FimBounds.Core.Collections.EquatableList<double> Std)
    : Layer(Path, Input, Output)
{
    public override string Kind => "normalize";

    public override long Parameters => 0;
}

namespace FimBounds.Spec;

/// <summary>A 2-D convolution; input channels are inferred from the previous layer.</summary>
public sealed class Conv2dAttribute : LayerAttribute
{
    public Conv2dAttribute(int outChannels, int kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
    }

    public int OutChannels { get; }

    public int Kernel { get; }

    public int Stride { get; set; } = 1;

    public int Padding { get; set; }

    public int Groups { get; set; } = 1;

    public bool Bias { get; set; } = true;
}

/// <summary>BatchNorm2d over the channels of the previous layer (eval mode uses the running statistics).</summary>
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    public double Eps { get; set; } = 1e-5;
}

/// <summary>Max pooling; the stride defaults to the kernel size, as in PyTorch.</summary>
public sealed class MaxPool2dAttribute : LayerAttribute
{
    public MaxPool2dAttribute(int kernel) => Kernel = kernel;

    public int Kernel { get; }

    /// <summary>0 means "equal to the kernel size".</summary>
    public int Stride { get; set; }

    public int Padding { get; set; }
}

/// <summary>Average pooling; the stride defaults to the kernel size, as in PyTorch.</summary>
public sealed class AvgPool2dAttribute : LayerAttribute
{
    public AvgPool2dAttribute(int kernel) => Kernel = kernel;

    public int Kernel { get; }

    /// <summary>0 means "equal to the kernel size".</summary>
    public int Stride { get; set; }

    public int Padding { get; set; }
}

/// <summary>Adaptive average pooling to a fixed output grid (1×1 = global average pooling).</summary>
public sealed class AdaptiveAvgPool2dAttribute : LayerAttribute
{
    public AdaptiveAvgPool2dAttribute(int height, int width)
    {
        Height = height;
        Width = width;
    }

    public int Height { get; }

    public int Width { get; }
}

/// <summary>
/// Declared input normalisation (x − mean)/std per channel. The model takes pixels in [0, 1]; this
/// layer has no parameters and contributes exactly 1/minₖ stdₖ to the bound.
/// </summary>
public sealed class NormalizeAttribute : LayerAttribute
{
    public NormalizeAttribute(double[] mean, double[] std)
    {
        Mean = mean;
        Std = std;
    }

    public double[] Mean { get; }

    public double[] Std { get; }
}

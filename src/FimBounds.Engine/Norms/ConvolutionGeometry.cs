namespace FimBounds.Engine.Norms;

/// <summary>A 2-D convolution as a linear operator: its kernel hyper-parameters and the input size it acts on.</summary>
public sealed record ConvolutionGeometry(int InChannels, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding, int Groups,
    int InputHeight, int InputWidth)
{
    public int OutputHeight => (InputHeight + 2 * Padding - KernelHeight) / Stride + 1;

    public int OutputWidth => (InputWidth + 2 * Padding - KernelWidth) / Stride + 1;

    public long InputSize => (long)InChannels * InputHeight * InputWidth;

    /// <summary>The transpose convolution's output_padding that makes it the exact adjoint at this input size.</summary>
    public int OutputPaddingHeight => InputHeight - ((OutputHeight - 1) * Stride - 2 * Padding + KernelHeight);

    public int OutputPaddingWidth => InputWidth - ((OutputWidth - 1) * Stride - 2 * Padding + KernelWidth);
}

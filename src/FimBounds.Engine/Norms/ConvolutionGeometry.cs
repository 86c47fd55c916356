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

    /// <summary>
    /// The side N of the smallest torus (a multiple of the stride s) on which the zero-padded convolution is a
    /// restriction of the circular one: N = ⌈max(H + p, s·H_out)⌉_s. Proof, per axis: output i &lt; H_out, tap
    /// a &lt; k reads input j = s·i + a − p, and s(H_out − 1) ≤ H + 2p − k gives −p ≤ j ≤ H + p − 1 &lt; N, so the
    /// circular convolution reads the torus cell j mod N: j itself when 0 ≤ j &lt; H (the same pixel), a cell in
    /// [H, N) when H ≤ j &lt; N, and N + j ∈ [N − p, N) ⊂ [H, N) when j &lt; 0 (N ≥ H + p). The image embedded in
    /// the torus is zero on [H, N), exactly where zero padding reads zeros; and s·H_out ≤ N keeps the outputs
    /// distinct. So A = P C E with E the embedding and P the restriction to the kept outputs (both of norm ≤ 1),
    /// and ‖A‖ ≤ ‖C‖. (H + 2p, the usual choice, is larger than needed: the smaller torus is cheaper and tighter.)
    /// </summary>
    public int TorusHeight => TorusSide(InputHeight, OutputHeight);

    public int TorusWidth => TorusSide(InputWidth, OutputWidth);

    private int TorusSide(int input, int output) => (Math.Max(input + Padding, Stride * output) + Stride - 1) / Stride * Stride;
}

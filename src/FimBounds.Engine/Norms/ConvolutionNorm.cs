using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The spectral norm of a zero-padded, strided 2-D convolution acting on inputs of one fixed size.
/// <list type="bullet">
/// <item>Lower: Lanczos on AᵀA (conv then its adjoint, conv_transpose), reporting ‖Av‖ for the top unit
/// Ritz vector v — a value the operator provably reaches.</item>
/// <item>Upper, rigorous: the zero-padded convolution is a restriction of the circular convolution on
/// any torus N ≥ H + 2p (nothing wraps around for the outputs it keeps), so its norm is at most the
/// circular one's. With N a multiple of the stride s, the strided circular convolution is, after a
/// polyphase permutation of the input (x ↦ its s² sub-grids, an isometry), a stride-1 circular
/// convolution on the (N/s)-torus with s²·C_in input channels — diagonalised by the 2-D DFT: its norm is
/// exactly max over the (N/s)² frequencies of σ_max of a C_out × s²C_in complex matrix. Several tori
/// are tried and the smallest value kept; all are upper bounds.</item>
/// </list>
/// </summary>
public static class ConvolutionNorm
{
    /// <summary>Certified σ of the convolution with <paramref name="weight"/> [C_out, C_in/groups, kh, kw] on the given geometry.</summary>
    public static OperatorNorm Certify(Tensor weight, ConvolutionGeometry geometry, int lanczosSteps = 100, long seed = 0)
    {
        double lower = AttainedNorm(weight, geometry, lanczosSteps, seed);
        double upper = CirculantUpperBound(weight, geometry);
        // The lower value is attained up to rounding; the upper is rigorous. If rounding ever put the lower
        // above the upper, the bound must win nothing from it: keep the upper as certified.
        return new OperatorNorm(Math.Min(lower, upper), upper, "circulant embedding (upper), Lanczos on AᵀA (lower)");
    }

    /// <summary>
    /// ‖Av‖ for the unit top Ritz vector v of AᵀA (Lanczos, at most <paramref name="iterations"/> steps, from a
    /// seeded random start): a value the operator attains, hence a lower bound on σ_max(A).
    /// </summary>
    public static double AttainedNorm(Tensor weight, ConvolutionGeometry g, int iterations, long seed = 0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor w = weight.detach().to(float64);
        Tensor v = KrylovTopEigenvalue.TopVector(x => Adjoint(w, g, Apply(w, g, x)),
            new long[] { 1, g.InChannels, g.InputHeight, g.InputWidth }, iterations, 1e-10, seed);
        return Apply(w, g, v).norm().item<double>();
    }

    /// <summary>A v: the convolution without bias.</summary>
    internal static Tensor Apply(Tensor weight, ConvolutionGeometry g, Tensor v) =>
        nn.functional.conv2d(v, weight, null, strides: new long[] { g.Stride, g.Stride }, padding: new long[] { g.Padding, g.Padding },
            dilation: new long[] { 1, 1 }, groups: g.Groups);

    /// <summary>Aᵀ u: the transpose convolution with the output padding that restores the input size.</summary>
    internal static Tensor Adjoint(Tensor weight, ConvolutionGeometry g, Tensor u) =>
        nn.functional.conv_transpose2d(u, weight, null, strides: new long[] { g.Stride, g.Stride }, padding: new long[] { g.Padding, g.Padding },
            output_padding: new long[] { g.OutputPaddingHeight, g.OutputPaddingWidth }, dilation: new long[] { 1, 1 }, groups: g.Groups);

    /// <summary>The rigorous circulant-embedding bound (see the type's summary), rounding margin included.</summary>
    public static double CirculantUpperBound(Tensor weight, ConvolutionGeometry g)
    {
        using var scope = NewDisposeScope();
        Tensor dense = DenseKernel(weight.detach().to(float64), g);                      // [O, I, kh, kw]
        int s = g.Stride;
        int baseH = RoundUp(g.InputHeight + 2 * g.Padding, s);
        int baseW = RoundUp(g.InputWidth + 2 * g.Padding, s);
        double best = double.PositiveInfinity;
        for (int extra = 0; extra < 3; extra++)
        {
            best = Math.Min(best, CirculantNorm(dense, s, (baseH / s) + extra, (baseW / s) + extra));
        }
        return RoundingMargin.Up(best);
    }

    /// <summary>The norm of the stride-s circular convolution on the (s·mh × s·mw)-torus, via polyphase and the DFT.</summary>
    private static double CirculantNorm(Tensor dense, int s, int mh, int mw)
    {
        using var scope = NewDisposeScope();
        long o = dense.shape[0], i = dense.shape[1], kh = dense.shape[2], kw = dense.shape[3];
        long qh = (kh + s - 1) / s, qw = (kw + s - 1) / s;
        // Pad the kernel to a multiple of s and split each tap index a = s·q + r into (q, r).
        Tensor padded = nn.functional.pad(dense, new long[] { 0, qw * s - kw, 0, qh * s - kh });
        Tensor poly = padded.reshape(o, i, qh, s, qw, s).permute(0, 1, 3, 5, 2, 4).reshape(o, i * s * s, qh, qw);
        // Taps beyond the torus wrap around (alias) onto the same frequency grid.
        Tensor folded = zeros(new long[] { o, i * s * s, mh, mw }, dtype: float64);
        for (long a = 0; a < qh; a++)
        {
            for (long b = 0; b < qw; b++)
            {
                folded[.., .., (int)(a % mh), (int)(b % mw)].PlusInPlace(poly[.., .., (int)a, (int)b]);
            }
        }
        Tensor spectrum = fft.fft2(folded).permute(2, 3, 0, 1).reshape(mh * mw, o, i * s * s);   // [freq, O, I·s²]
        double best = 0;
        // Chunk the frequencies so that large layers stay within a few hundred MB.
        long perChunk = Math.Max(1, (long)(64L * 1024 * 1024 / (16.0 * o * i * s * s)));
        for (long start = 0; start < mh * mw; start += perChunk)
        {
            using var inner = NewDisposeScope();
            Tensor part = spectrum.narrow(0, start, Math.Min(perChunk, mh * mw - start));
            best = Math.Max(best, linalg.svdvals(part).max().item<double>());
        }
        return best;
    }

    /// <summary>The grouped kernel expanded to a dense [C_out, C_in, kh, kw] one (zeros between groups).</summary>
    private static Tensor DenseKernel(Tensor weight, ConvolutionGeometry g)
    {
        if (g.Groups == 1)
        {
            return weight;
        }
        int outPerGroup = g.OutChannels / g.Groups;
        int inPerGroup = g.InChannels / g.Groups;
        Tensor dense = zeros(new long[] { g.OutChannels, g.InChannels, weight.shape[2], weight.shape[3] }, dtype: weight.dtype);
        for (int group = 0; group < g.Groups; group++)
        {
            dense[TensorIndex.Slice(group * outPerGroup, (group + 1) * outPerGroup), TensorIndex.Slice(group * inPerGroup, (group + 1) * inPerGroup)] =
                weight[TensorIndex.Slice(group * outPerGroup, (group + 1) * outPerGroup)];
        }
        return dense;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The spectral norm of a zero-padded, strided 2-D convolution acting on inputs of one fixed size.
/// <list type="bullet">
/// <item>Lower: Lanczos on AᵀA (conv then its adjoint, conv_transpose; iterated in float32) started from
/// the torus's top singular vector cut to the image (<see cref="PlaneWaveStart"/>), reporting ‖Av‖/‖v‖
/// evaluated in float64 for the top Ritz vector v — a value the operator provably reaches.</item>
/// <item>Upper, rigorous: the zero-padded convolution is a restriction of the circular convolution on a
/// torus of side N ≥ H + p (nothing wraps around for the outputs it keeps: the proof is at
/// <see cref="ConvolutionGeometry.TorusHeight"/>), so its norm is at most the circular one's. With N a
/// multiple of the stride s, the strided circular convolution is, after a polyphase permutation of the
/// input (x ↦ its s² sub-grids, an isometry), a stride-1 circular
/// convolution on the (N/s)-torus with s²·C_in input channels — diagonalised by the 2-D DFT: its norm is
/// exactly max over the (N/s)² frequencies of σ_max of a C_out × s²C_in complex block. That maximum is
/// certified without an eigen-solve per frequency (<see cref="TorusSpectrumBound"/>): the blocks' Grams
/// come from the kernel's tap Grams (<see cref="BlockSymbolGram"/>) and one batched Cholesky
/// factorisation proves almost every frequency lies below a level Krylov steps find; the few above it are
/// raised to or solved exactly.</item>
/// <item>1×1 kernels without padding: the operator is block diagonal with the kernel matrix W as every
/// block, so σ(W) is exact and attained.</item>
/// </list>
/// </summary>
public static class ConvolutionNorm
{
    /// <summary>
    /// Certified σ of the convolution with <paramref name="weight"/> [C_out, C_in/groups, kh, kw] on the given geometry;
    /// with <paramref name="lanczosSteps"/> ≤ 0 no attained value is computed (the lower end is 0, which every norm reaches).
    /// </summary>
    public static OperatorNorm Certify(Tensor weight, ConvolutionGeometry geometry, int lanczosSteps = 100, long seed = 0)
    {
        using var scope = NewDisposeScope();
        Tensor dense = DenseKernel(weight.detach().to(float64), geometry);
        if (geometry is { KernelHeight: 1, KernelWidth: 1, Padding: 0 })
        {
            OperatorNorm exact = MatrixNorm.Spectral(dense.view(geometry.OutChannels, geometry.InChannels));
            return exact with { Method = "1×1 kernel: block-diagonal operator, exact σ of the kernel matrix" };
        }
        Tensor kernel = PolyphaseKernel(dense, geometry.Stride);
        TorusMaximum top = TorusTop(kernel, geometry, 0);
        double upper = RoundingMargin.Up(Math.Sqrt(top.Eigenvalue));
        if (lanczosSteps <= 0)
        {
            return new OperatorNorm(0, upper, "circulant embedding certified by Cholesky (upper); no attained value asked for");
        }
        // Lanczos starts from the torus's top singular vector cut to the image, so a few steps reach what many did from noise.
        Tensor start = PlaneWaveStart.Image(kernel, geometry, top.AngleHeight, top.AngleWidth);
        double lower = AttainedNorm(weight, geometry, lanczosSteps, seed, start);
        // The lower value is attained up to rounding; the upper is rigorous. If rounding ever put the lower
        // above the upper, the bound must win nothing from it: keep the upper as certified.
        return new OperatorNorm(Math.Min(lower, upper), upper, "circulant embedding certified by Cholesky (upper), Lanczos on AᵀA from the torus's top mode (lower)");
    }

    /// <summary>
    /// A rough count of the floating-point operations <see cref="Certify"/> takes on <paramref name="g"/> (the tap
    /// Grams and one complex Cholesky pass over half the torus frequencies), for ordering work only.
    /// </summary>
    public static double EstimatedWork(ConvolutionGeometry g)
    {
        double s = g.Stride;
        double outputs = g.OutChannels, inputs = s * s * g.InChannels / g.Groups;
        double rows = Math.Min(outputs, inputs), columns = Math.Max(outputs, inputs);
        double taps = Math.Ceiling(g.KernelHeight / s) * Math.Ceiling(g.KernelWidth / s);
        double frequencies = g.TorusHeight / s * (g.TorusWidth / s) / 2;
        return frequencies * 8 * rows * rows * rows / 3 + 2 * taps * taps * rows * rows * columns;
    }

    /// <summary>
    /// ‖Av‖/‖v‖ in float64 for the top Ritz vector v of AᵀA (float32 Lanczos, at most <paramref name="iterations"/>
    /// steps, from a seeded random start): a value the operator attains, hence a lower bound on σ_max(A).
    /// </summary>
    public static double AttainedNorm(Tensor weight, ConvolutionGeometry g, int iterations, long seed = 0) => AttainedNorm(weight, g, iterations, seed, null);

    /// <inheritdoc cref="AttainedNorm(Tensor, ConvolutionGeometry, int, long)"/>
    /// <param name="start">The Krylov start [1, C_in, H, W] (a seeded random one when null).</param>
    internal static double AttainedNorm(Tensor weight, ConvolutionGeometry g, int iterations, long seed, Tensor? start)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor single = weight.detach().to(float32);
        Tensor v = KrylovTopEigenvalue.TopVector(x => Adjoint(single, g, Apply(single, g, x)),
            new long[] { 1, g.InChannels, g.InputHeight, g.InputWidth }, iterations, 1e-6, seed, float32, start).to(float64);
        return Apply(weight.detach().to(float64), g, v).norm().item<double>() / v.norm().item<double>();
    }

    /// <summary>A v: the convolution without bias.</summary>
    internal static Tensor Apply(Tensor weight, ConvolutionGeometry g, Tensor v) =>
        nn.functional.conv2d(v, weight, null, strides: new long[] { g.Stride, g.Stride }, padding: new long[] { g.Padding, g.Padding },
            dilation: new long[] { 1, 1 }, groups: g.Groups);

    /// <summary>Aᵀ u: the transpose convolution with the output padding that restores the input size.</summary>
    internal static Tensor Adjoint(Tensor weight, ConvolutionGeometry g, Tensor u) =>
        nn.functional.conv_transpose2d(u, weight, null, strides: new long[] { g.Stride, g.Stride }, padding: new long[] { g.Padding, g.Padding },
            output_padding: new long[] { g.OutputPaddingHeight, g.OutputPaddingWidth }, dilation: new long[] { 1, 1 }, groups: g.Groups);

    /// <summary>
    /// The rigorous circulant-embedding bound (see the type's summary), rounding margin included.
    /// <paramref name="attained"/> is any value the zero-padded operator's norm is known to reach (0 if none):
    /// the better it is, the fewer frequencies need an exact eigen-solve; the result does not depend on it.
    /// </summary>
    public static double CirculantUpperBound(Tensor weight, ConvolutionGeometry g, double attained = 0)
    {
        using var scope = NewDisposeScope();
        Tensor kernel = PolyphaseKernel(DenseKernel(weight.detach().to(float64), g), g.Stride);
        // The zero-padded norm is at most the circular one, so attained² is below the torus maximum.
        return RoundingMargin.Up(Math.Sqrt(TorusTop(kernel, g, attained * attained).Eigenvalue));
    }

    /// <summary>The certified torus maximum of λ_max(D D*) on <see cref="ConvolutionGeometry.TorusHeight"/> × <see cref="ConvolutionGeometry.TorusWidth"/>.</summary>
    private static TorusMaximum TorusTop(Tensor polyphaseKernel, ConvolutionGeometry g, double knownBelow)
    {
        using var scope = NewDisposeScope();
        // Stride s: the torus of side N is, after the polyphase split, one of side N/s with s² times the input channels.
        using var gram = new BlockSymbolGram(Taps(polyphaseKernel));
        return TorusSpectrumBound.Maximum(gram, g.TorusHeight / g.Stride, g.TorusWidth / g.Stride, knownBelow);
    }

    /// <summary>
    /// The stride-s kernel as stride-1 taps over s² polyphase input channels, [C_out, s²C_in, qh, qw]: each
    /// tap index a = s·q + r (the kernel zero-padded to a multiple of s) becomes tap q of input channel (i, r_h, r_w).
    /// </summary>
    private static Tensor PolyphaseKernel(Tensor dense, int s)
    {
        using var scope = NewDisposeScope();
        long o = dense.shape[0], i = dense.shape[1], kh = dense.shape[2], kw = dense.shape[3];
        long qh = (kh + s - 1) / s, qw = (kw + s - 1) / s;
        Tensor padded = nn.functional.pad(dense, new long[] { 0, qw * s - kw, 0, qh * s - kh });
        return padded.reshape(o, i, qh, s, qw, s).permute(0, 1, 3, 5, 2, 4).reshape(o, i * s * s, qh, qw).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The polyphase kernel as [qh, qw, r, c] taps with the side of fewer channels as rows r (D D* and D* D
    /// share their nonzero spectrum; the smaller is cheaper).
    /// </summary>
    private static Tensor Taps(Tensor polyphaseKernel)
    {
        bool outputRows = polyphaseKernel.shape[0] <= polyphaseKernel.shape[1];
        return (outputRows ? polyphaseKernel.permute(2, 3, 0, 1) : polyphaseKernel.permute(2, 3, 1, 0)).contiguous();
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
}

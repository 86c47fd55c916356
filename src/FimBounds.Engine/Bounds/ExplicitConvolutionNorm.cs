using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// The exact spectral norm of a convolution small enough to write down as a matrix: the zero-padded
/// operator applied to every standard basis vector of its smaller side (the convolution itself when the input
/// side is smaller, its adjoint otherwise) gives the explicit matrix or its transpose, whose σ_max
/// <see cref="MatrixNorm"/> computes from the eigenvalues of the smaller Gram matrix in float64.
/// <para>Why it is sound: the matrix entries are the kernel's weights themselves (a basis vector meets at most
/// one weight per output), so the only rounding is the Gram product and the symmetric eigen-solve, both
/// backward stable and far inside <see cref="RoundingMargin"/>. Why it exists: on small feature maps the
/// certified torus bound overestimates a zero-padded convolution (padding is a large share of a 7×7 map:
/// 8–10 % on densenet-mini's second dense block), while this is the operator's own norm.</para>
/// </summary>
public static class ExplicitConvolutionNorm
{
    /// <summary>The largest smaller side (rows of the explicit matrix) computed explicitly.</summary>
    public const long MaxSmallerSide = 1024;

    /// <summary>The largest number of matrix entries materialised (float64: 32 MB).</summary>
    public const long MaxEntries = 4_000_000;

    /// <summary>True when the operator's explicit matrix is within the size limits.</summary>
    public static bool Applies(ConvolutionGeometry g)
    {
        long input = g.InputSize;
        long output = (long)g.OutChannels * g.OutputHeight * g.OutputWidth;
        return Math.Min(input, output) <= MaxSmallerSide && input * output <= MaxEntries;
    }

    /// <summary>σ_max of the convolution with <paramref name="weight"/> on <paramref name="g"/>, exact up to the rounding margin; null when it is too large.</summary>
    public static OperatorNorm? TryCompute(Tensor weight, ConvolutionGeometry g)
    {
        if (!Applies(g))
        {
            return null;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor w = weight.detach().to(float64);
        long input = g.InputSize;
        long output = (long)g.OutChannels * g.OutputHeight * g.OutputWidth;
        Tensor rows = input <= output
            ? ConvolutionNorm.Apply(w, g, eye(input, dtype: float64).reshape(input, g.InChannels, g.InputHeight, g.InputWidth)).reshape(input, -1)
            : ConvolutionNorm.Adjoint(w, g, eye(output, dtype: float64).reshape(output, g.OutChannels, g.OutputHeight, g.OutputWidth)).reshape(output, -1);
        OperatorNorm exact = MatrixNorm.Spectral(rows);
        return exact with { Method = "explicit matrix of the zero-padded convolution: exact σ from its Gram eigenvalues" };
    }
}

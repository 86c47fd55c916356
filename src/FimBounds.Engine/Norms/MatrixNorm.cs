using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>The spectral norm of a dense matrix, exactly (up to rounding, covered by the margin).</summary>
public static class MatrixNorm
{
    /// <summary>A rough count of the floating-point operations <see cref="Spectral"/> takes on a rows × columns matrix, for ordering work only.</summary>
    public static double EstimatedWork(double rows, double columns)
    {
        double smaller = Math.Min(rows, columns);
        return 2 * rows * columns * smaller + 10 * smaller * smaller * smaller;
    }

    /// <summary>
    /// σ_max of a [rows, cols] matrix (any leading shape is flattened into rows × last dim is NOT assumed:
    /// pass a 2-D tensor). Uses the eigenvalues of the smaller Gram matrix, which is far cheaper than an SVD
    /// of a wide matrix (e.g. 4096 × 25088) and as accurate at the top of the spectrum.
    /// </summary>
    public static OperatorNorm Spectral(Tensor matrix)
    {
        if (matrix.dim() != 2)
        {
            throw new ArgumentException($"expected a matrix, got shape [{string.Join(", ", matrix.shape)}]");
        }
        using var scope = NewDisposeScope();
        Tensor m = matrix.detach().to(float64);
        Tensor gram = m.shape[0] <= m.shape[1] ? m.matmul(m.t()) : m.t().matmul(m);
        double top = linalg.eigvalsh(gram.Plus(gram.t()).DividedBy(2))[-1].item<double>();
        double sigma = Math.Sqrt(Math.Max(0, top));
        return OperatorNorm.Exact(sigma, "gram eigenvalue");
    }
}

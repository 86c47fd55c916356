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

    /// <summary>
    /// σ_max of the product <paramref name="left"/>·<paramref name="right"/> (m × k times k × n) without forming it
    /// when k is the smallest side (a rank-k product such as an attention head's W_Qᵀ·W_K, 768 × 64 · 64 × 768):
    /// with the thin QR factorisations left = Q_l R_l and rightᵀ = Q_r R_r the product is Q_l (R_l R_rᵀ) Q_rᵀ, and
    /// Q_l, Q_r have orthonormal columns, so σ(left·right) = σ(R_l R_rᵀ), a k × k matrix.
    /// <para>Rounding: Householder QR is backward stable (the computed R is the exact R of a matrix within
    /// c·m·k·u‖·‖_F, Higham Thm 19.4), so the computed core is the core of a product within
    /// c·(m + n)·k·u·‖left‖_F‖right‖_F of the true one; that amount with c = 10, and the small Gram's own
    /// margin, are added to the upper end. Forming the product itself has an error of the same kind
    /// (k·u·|left||right| entrywise), so this is as sound as <see cref="Spectral"/> on the formed product and
    /// costs k²(m + n) instead of m·n·(k + min(m, n)) plus an eigen-solve of the larger side.</para>
    /// </summary>
    public static OperatorNorm OfProduct(Tensor left, Tensor right)
    {
        using var scope = NewDisposeScope();
        Tensor a = left.detach().to(float64), b = right.detach().to(float64);
        long m = a.shape[0], k = a.shape[1], n = b.shape[1];
        if (k >= Math.Min(m, n))
        {
            return Spectral(a.matmul(b));
        }
        Tensor leftFactor = linalg.qr(a, linalg.QRMode.Reduced).R;
        Tensor rightFactor = linalg.qr(b.t(), linalg.QRMode.Reduced).R;
        OperatorNorm core = Spectral(leftFactor.matmul(rightFactor.t()));
        double rounding = 10.0 * (m + n) * k * Math.Pow(2, -53) * a.norm().item<double>() * b.norm().item<double>();
        return new OperatorNorm(core.Lower, RoundingMargin.Up(core.Upper + rounding), "product's exact σ from the thin QR factors' k × k core");
    }
}

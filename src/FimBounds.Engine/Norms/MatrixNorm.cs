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
    /// From this Gram side on, the top eigenvalue is certified by one Cholesky factorisation at a level Lanczos finds
    /// (n³/3 flops) instead of an eigen-solve of the whole spectrum (dsyevd, memory-bound): for vgg16's 4096 × 4096 and
    /// 4096 × 25088 classifier weights (random) 7.1 s and 29.7 s in all against 10.6 s and 33 s, on one thread here. At
    /// 768–1000 (vit-b-16, densenet121) the Lanczos steps a clustered random spectrum needs cost what the eigen-solve
    /// does, so below this side the exact eigen-solve stays (and the mini specs' values with it).
    /// </summary>
    public const int CertifiedFromSide = 2048;

    /// <summary>Relative room between the Ritz value and the factorisation's level: the convolutions' blocks' own.</summary>
    private const double Slack = TorusSpectrumBound.Slack;

    /// <summary>Enough for a random 4096-side Gram's clustered top (40 were not: its Ritz value stayed 4·10⁻⁶ below).</summary>
    private const int LanczosSteps = 200;

    /// <summary>
    /// σ_max of a [rows, cols] matrix (any leading shape is flattened into rows × last dim is NOT assumed:
    /// pass a 2-D tensor). Uses the top eigenvalue of the smaller Gram matrix, which is far cheaper than an SVD
    /// of a wide matrix (e.g. 4096 × 25088) and as accurate at the top of the spectrum: exactly below
    /// <see cref="CertifiedFromSide"/>, certified from it on (<see cref="CertifiedTop"/>).
    /// </summary>
    public static OperatorNorm Spectral(Tensor matrix)
    {
        if (matrix.dim() != 2)
        {
            throw new ArgumentException($"expected a matrix, got shape [{string.Join(", ", matrix.shape)}]");
        }
        using var scope = NewDisposeScope();
        Tensor m = matrix.detach().to(float64);
        Tensor product = m.shape[0] <= m.shape[1] ? m.matmul(m.t()) : m.t().matmul(m);
        Tensor gram = product.Plus(product.t()).DividedBy(2);
        if (gram.shape[0] >= CertifiedFromSide)
        {
            (double reached, double certified) = CertifiedTop(gram);
            return new OperatorNorm(Math.Sqrt(Math.Max(0, reached)), RoundingMargin.Up(Math.Sqrt(certified)), "gram: Lanczos top certified by Cholesky");
        }
        double top = linalg.eigvalsh(gram)[-1].item<double>();
        double sigma = Math.Sqrt(Math.Max(0, top));
        return OperatorNorm.Exact(sigma, "gram eigenvalue");
    }

    /// <summary>
    /// A value the top eigenvalue of the symmetric PSD <paramref name="gram"/> reaches (the Rayleigh quotient of Lanczos's
    /// Ritz vector) and a certified upper bound: a Cholesky factorisation of level·I − G that completes in floating point
    /// proves level·I − G + E ⪰ 0 with ‖E‖₂ ≤ γ_{n+1}·tr(level·I − G) ≤ (n + 1)u·n·level (Demmel), so
    /// λ_max ≤ level·(1 + 2n(n + 1)u) with room to spare. Where it fails (a Ritz value further below the top than the
    /// slack), the exact eigen-solve decides.
    /// </summary>
    internal static (double Reached, double Certified) CertifiedTop(Tensor gram, int lanczosSteps = LanczosSteps)
    {
        using var scope = NewDisposeScope();
        long n = gram.shape[0];
        Tensor v = KrylovTopEigenvalue.TopVector(x => gram.matmul(x), new[] { n, 1L }, lanczosSteps, Slack / 10, seed: 0);
        double reached = v.t().matmul(gram.matmul(v)).item<double>() / v.mul(v).sum().item<double>();
        double level = Math.Max(reached, 0) * (1 + Slack);
        Tensor shifted = gram.neg();
        shifted.diagonal().PlusInPlace(level);
        if (level > 0 && linalg.cholesky_ex(shifted).info.item<int>() == 0)
        {
            return (reached, level * (1 + 2.0 * n * (n + 1) * Math.Pow(2, -53)));
        }
        double top = linalg.eigvalsh(gram)[-1].item<double>();
        return (Math.Min(reached, top), top);
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

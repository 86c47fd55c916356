using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>
/// A large matrix's norm certified by Lanczos and one Cholesky factorisation: above the exact value by at most the
/// slack, its lower end a value the matrix reaches; and where Lanczos stops short of the top, the factorisation
/// fails and the exact eigen-solve decides.
/// </summary>
public sealed class CertifiedGramTopTests
{
    [Fact]
    public void A_wide_matrix_above_the_side_limit_gets_an_upper_end_within_the_slack_of_its_exact_norm()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        Tensor matrix = randn(new long[] { MatrixNorm.CertifiedFromSide, MatrixNorm.CertifiedFromSide + 300 }, dtype: float64, generator: generator);

        OperatorNorm norm = MatrixNorm.Spectral(matrix);

        double exact = Math.Sqrt(linalg.eigvalsh(matrix.matmul(matrix.t()))[-1].item<double>());
        Assert.Equal("gram: Lanczos top certified by Cholesky", norm.Method);
        Assert.InRange(norm.Upper, exact, exact * (1 + 1e-6));
        Assert.InRange(norm.Lower, exact * (1 - 1e-6), exact * (1 + 1e-12));
    }

    [Fact]
    public void Lanczos_stopped_short_of_the_top_leaves_the_decision_to_the_exact_eigen_solve()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(12);
        Tensor factor = randn(new long[] { 300, 400 }, dtype: float64, generator: generator);
        Tensor gram = factor.matmul(factor.t());
        double top = linalg.eigvalsh(gram)[-1].item<double>();

        (double shortReached, double shortCertified) = MatrixNorm.CertifiedTop(gram, lanczosSteps: 2);
        (double reached, double certified) = MatrixNorm.CertifiedTop(gram);

        // Two steps leave the Ritz value far below the top: a level just above it must not pass the factorisation.
        Assert.True(shortReached < top * (1 - 1e-3), $"two Lanczos steps reached {shortReached} of {top}: the test needs a Ritz value short of the top");
        Assert.Equal(top, shortCertified, top * 1e-12);
        Assert.InRange(certified, top, top * (1 + 1.01e-6));   // the slack, and the factorisation's rounding margin
        Assert.InRange(reached, top * (1 - 1e-6), top * (1 + 1e-12));
    }
}

using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The largest Ritz value of each of a batch of Hermitian blocks after a few Lanczos steps (full
/// reorthogonalisation), all blocks advanced together. A Ritz value is a Rayleigh quotient, so it never
/// exceeds its block's λ_max: a value the block reaches, used to choose certification levels. Nothing
/// certified rests on it — a level that is too low only leaves blocks for the next round.
/// </summary>
internal static class BatchedLanczos
{
    /// <summary>
    /// [P] float64: the top Ritz value of each block of <paramref name="blocks"/> [P, r, r] complex128, or of each
    /// block's negative when <paramref name="negated"/> (the blocks hold −B, the values are B's).
    /// </summary>
    public static Tensor TopRitzValues(Tensor blocks, int steps, bool negated = false)
    {
        using var scope = NewDisposeScope();
        long count = blocks.shape[0], rows = blocks.shape[1];
        int m = (int)Math.Min(steps, rows);
        using var generator = new Generator(29);
        Tensor start = randn(new[] { rows, 1L }, dtype: float64, generator: generator).to(complex128);
        Tensor q = start.div(start.norm()).expand(count, rows, 1).contiguous();
        var basis = new List<Tensor> { q };
        var alphas = new List<Tensor>();
        var betas = new List<Tensor>();
        for (int j = 0; j < m; j++)
        {
            Tensor w = negated ? blocks.matmul(basis[j]).neg() : blocks.matmul(basis[j]);   // [P, r, 1]
            alphas.Add(basis[j].conj().mul(w).sum(1).real.view(-1));
            if (j + 1 == m)
            {
                break;
            }
            Tensor stacked = cat(basis, 2);                                                // [P, r, j + 1]
            for (int pass = 0; pass < 2; pass++)
            {
                w = w.Minus(stacked.matmul(stacked.conj().transpose(1, 2).matmul(w)));
            }
            Tensor modulus = w.abs();
            Tensor norm = modulus.mul(modulus).sum(1, keepdim: true).sqrt();              // [P, 1, 1]
            betas.Add(norm.view(-1));
            // An exhausted Krylov space leaves w = 0 (a zero vector, β = 0: the Ritz values found are final) or
            // rounding noise, which normalises to a vector orthogonal to the basis: Rayleigh quotients either way.
            basis.Add(w.div(norm.ClampBelow(1e-300)));
        }
        Tensor tridiagonal = diag_embed(stack(alphas, 1));
        if (betas.Count > 0)
        {
            Tensor off = diag_embed(stack(betas, 1), offset: 1);
            tridiagonal = tridiagonal.Plus(off).Plus(off.transpose(1, 2));
        }
        return linalg.eigvalsh(tridiagonal).select(1, -1).MoveToOuterDisposeScope();
    }
}

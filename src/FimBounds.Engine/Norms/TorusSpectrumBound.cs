using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// A certified upper bound on the maximum over the frequencies of an mh × mw torus of λ_max(D(ω)D(ω)*) —
/// the squared norm of a stride-1 circular convolution — without an eigen-solve per frequency:
/// <list type="number">
/// <item>take a level μ the maximum is known to reach (the zero-padded operator's attained norm², or the
/// exact top eigenvalue at the frequency of largest trace, whichever is larger);</item>
/// <item>one batched Cholesky factorisation of μI − D D* per frequency: where it completes, λ_max ≤ μ up to
/// rounding; where it fails, the frequency stays pending;</item>
/// <item>solve the two most promising pending blocks exactly (ranked by a few power steps), raise μ to their
/// top eigenvalue if higher, and test the rest of the pending ones again (after a few rounds, solve all).</item>
/// </list>
/// Every block is thus either certified below the final μ or solved exactly, so the result is the exact
/// torus maximum up to rounding — and only a few frequencies cost an eigen-solve.
/// Rounding: a floating-point Cholesky of an n × n A that completes proves A + E ⪰ 0 with
/// ‖E‖₂ ≤ γ_{n+1}·tr A ≤ (n+1)ε·n·μ (Demmel), hence λ_max ≤ μ(1 + n(n+1)ε); the result is enlarged by twice
/// that (complex arithmetic) before the engine's usual margin.
/// </summary>
internal static class TorusSpectrumBound
{
    /// <summary>Certified max_ω λ_max(D(ω)D(ω)*) over ω = 2π(u/mh, v/mw); <paramref name="knownBelow"/> ≤ that maximum (0 if unknown).</summary>
    public static double MaxEigenvalue(BlockSymbolGram gram, long mh, long mw, double knownBelow)
    {
        using var scope = NewDisposeScope();
        // Real taps: the block at −ω is the conjugate of the one at ω (same spectrum), so half the grid suffices.
        Tensor pending = Angles(mh, mw, mw / 2 + 1);                                  // [F, 2]
        long chunk = Math.Max(1, 64L * 1024 * 1024 / (16 * gram.Rows * gram.Rows));   // ≈ 64 MB of blocks at a time
        double level = Math.Max(knownBelow, TopAtLargestTrace(gram, pending));
        for (int round = 0; pending.shape[0] > 0; round++)
        {
            // Blocks still possibly above the level; each round lifts the level to the exact top of the most
            // promising of them, so the set shrinks fast. Solved blocks leave the set: their value is in the level.
            pending = Above(gram, pending, level * (1 + 1e-10), chunk);
            long left = pending.shape[0];
            int solve = left <= 2 || round >= MaxRounds ? (int)left : 2;
            if (solve == 0)
            {
                break;
            }
            Tensor order = left == solve ? Range(left, ScalarType.Int64) : PowerEstimates(gram, pending, chunk).topk(solve).indexes;
            level = Math.Max(level, ExactTop(gram, pending.index_select(0, order), chunk));
            pending = Without(pending, order);
        }
        double n = gram.Rows;
        return level * (1 + 1e-10) * (1 + 2 * n * (n + 1) * Math.Pow(2, -52));
    }

    private const int MaxRounds = 6;
    private const int PowerSteps = 8;

    /// <summary>The frequencies among <paramref name="angles"/> whose block is not certified below <paramref name="level"/>.</summary>
    private static Tensor Above(BlockSymbolGram gram, Tensor angles, double level, long chunk)
    {
        using var scope = NewDisposeScope();
        var kept = new List<Tensor>();
        for (long start = 0; start < angles.shape[0]; start += chunk)
        {
            Tensor part = angles.narrow(0, start, Math.Min(chunk, angles.shape[0] - start));
            kept.Add(part.index_select(0, NotBelow(gram.BlocksAt(part), level)));
        }
        return cat(kept).MoveToOuterDisposeScope();
    }

    private static double ExactTop(BlockSymbolGram gram, Tensor angles, long chunk)
    {
        using var scope = NewDisposeScope();
        double top = 0;
        for (long start = 0; start < angles.shape[0]; start += chunk)
        {
            using var inner = NewDisposeScope();
            Tensor blocks = gram.BlocksAt(angles.narrow(0, start, Math.Min(chunk, angles.shape[0] - start)));
            top = Math.Max(top, linalg.eigvalsh(blocks).max().item<double>());
        }
        return top;
    }

    /// <summary>Rayleigh quotients after a few power steps from one fixed start: a ranking, not a bound.</summary>
    private static Tensor PowerEstimates(BlockSymbolGram gram, Tensor angles, long chunk)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(17);
        Tensor start = randn(new[] { gram.Rows, 1L }, dtype: float64, generator: generator).to(complex128);
        var estimates = new List<Tensor>();
        for (long first = 0; first < angles.shape[0]; first += chunk)
        {
            using var inner = NewDisposeScope();
            Tensor blocks = gram.BlocksAt(angles.narrow(0, first, Math.Min(chunk, angles.shape[0] - first)));
            Tensor v = start.expand(blocks.shape[0], gram.Rows, 1).contiguous();
            for (int i = 0; i < PowerSteps; i++)
            {
                Tensor w = blocks.matmul(v);
                Tensor modulus = w.abs();
                v = w.div(modulus.mul(modulus).sum(new long[] { 1, 2 }, keepdim: true).sqrt().ClampBelow(1e-300));
            }
            estimates.Add(v.conj().transpose(1, 2).matmul(blocks.matmul(v)).real.view(-1).MoveToOuterDisposeScope());
        }
        return cat(estimates).MoveToOuterDisposeScope();
    }

    /// <summary>The rows of <paramref name="angles"/> other than those at <paramref name="drop"/>.</summary>
    private static Tensor Without(Tensor angles, Tensor drop)
    {
        using var scope = NewDisposeScope();
        Tensor keep = ones(angles.shape[0], dtype: ScalarType.Bool);
        keep.index_fill_(0, drop, Scalars.Zero);
        return angles.index_select(0, keep.nonzero().view(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>Indices of the blocks for which the Cholesky factorisation of level·I − block fails.</summary>
    private static Tensor NotBelow(Tensor blocks, double level)
    {
        using var scope = NewDisposeScope();
        Tensor scaled = eye(blocks.shape[1], dtype: complex128).Times(level);
        (Tensor _, Tensor info) = linalg.cholesky_ex(scaled.Minus(blocks));
        return info.ne(Scalars.Zero).nonzero().view(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The exact λ_max of the block with the largest trace (‖D(ω)‖_F²): a level the maximum reaches.</summary>
    private static double TopAtLargestTrace(BlockSymbolGram gram, Tensor angles)
    {
        using var scope = NewDisposeScope();
        Tensor best = gram.TracesAt(angles).argmax().view(1);
        return linalg.eigvalsh(gram.BlocksAt(angles.index_select(0, best))).max().item<double>();
    }

    /// <summary>(2πu/mh, 2πv/mw) for u ∈ [0, mh), v ∈ [0, columns).</summary>
    private static Tensor Angles(long mh, long mw, long columns)
    {
        using var scope = NewDisposeScope();
        Tensor u = Range(mh, float64).Times(2 * Math.PI / mh);
        Tensor v = Range(columns, float64).Times(2 * Math.PI / mw);
        Tensor[] grid = meshgrid(new[] { u, v }, indexing: "ij");
        return stack(new[] { grid[0].reshape(-1), grid[1].reshape(-1) }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>0, 1, …, count − 1 (the stop made as an owned Scalar).</summary>
    private static Tensor Range(long count, ScalarType dtype)
    {
        using var stop = count.ToScalar();
        return arange(Scalars.Zero, stop, Scalars.One, dtype: dtype);
    }
}

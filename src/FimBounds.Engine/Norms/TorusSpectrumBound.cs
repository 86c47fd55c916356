using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>The certified torus maximum and the frequency (radians per tap, rows then columns) whose block reaches the level it was certified at.</summary>
internal readonly record struct TorusMaximum(double Eigenvalue, double AngleHeight, double AngleWidth);

/// <summary>
/// A certified upper bound on the maximum over the frequencies of an mh × mw torus of λ_max(D(ω)D(ω)*) —
/// the squared norm of a stride-1 circular convolution — without an eigen-solve per frequency:
/// <list type="number">
/// <item>a level μ the maximum is known to reach: the largest Ritz value (a Rayleigh quotient, so a value
/// that block reaches) among the blocks of largest trace, or a caller's value if larger;</item>
/// <item>one batched Cholesky factorisation of μ(1 + s)I − D D* per frequency (s = <see cref="Slack"/>):
/// where it completes, λ_max ≤ μ(1 + s) up to rounding; where it fails, the frequency stays pending;</item>
/// <item>the pending blocks are ranked by a few Lanczos steps (<see cref="RankingSteps"/>), more steps on
/// the best ranked raise μ, and the pending blocks are tested again (twice at most); blocks still pending
/// after that are solved exactly (eigvalsh) and μ raised to their tops.</item>
/// </list>
/// When the tops are nearly equal (random kernels: half the frequencies of a 64-channel layer can stay
/// pending after the first pass) the trace ranks them poorly; the few-step ranking then costs a fraction of
/// full Krylov runs on every pending block, which cost more than the Cholesky pass itself.
/// μ only grows, so a block certified at an earlier level stays certified. Every block is thus either
/// certified below μ(1 + s) or solved exactly, and the result is within the factor 1 + s of the exact torus
/// maximum (it is never below it) — with one full Cholesky pass and a few Krylov steps on a few blocks.
/// Rounding: a floating-point Cholesky of an n × n A that completes proves A + E ⪰ 0 with
/// ‖E‖₂ ≤ γ_{n+1}·tr A ≤ (n+1)ε·n·μ (Demmel), hence λ_max ≤ μ(1 + n(n+1)ε); the result is enlarged by twice
/// that (complex arithmetic) before the engine's usual margin.
/// </summary>
internal static class TorusSpectrumBound
{
    /// <summary>Relative room between the level and the Cholesky test: a Ritz value a little below its block's top still certifies it.</summary>
    public const double Slack = 1e-6;

    /// <summary>Lanczos steps that rank the pending frequencies: enough to order nearly equal tops, few enough to cost less than the Cholesky pass.</summary>
    public const int RankingSteps = 4;

    private const int Candidates = 4;
    private const int KrylovSteps = 24;
    private const int RefiningRounds = 2;

    /// <summary>Certified max_ω λ_max(D(ω)D(ω)*) over ω = 2π(u/mh, v/mw); <paramref name="knownBelow"/> ≤ that maximum (0 if unknown).</summary>
    public static TorusMaximum Maximum(BlockSymbolGram gram, long mh, long mw, double knownBelow)
    {
        using var scope = NewDisposeScope();
        Tensor pending = TorusFrequencies.Representatives(mh, mw);                        // [F, 2]
        long chunk = Math.Max(1, 64L * 1024 * 1024 / (16 * gram.Rows * gram.Rows));        // ≈ 64 MB of blocks at a time
        var candidates = new FrequencyRanking(gram.TracesAt(pending));
        TorusMaximum level = Refined(gram, pending, candidates, chunk);
        if (knownBelow > level.Eigenvalue)
        {
            level = level with { Eigenvalue = knownBelow };
        }
        for (int round = 0; ; round++)
        {
            Tensor above = AboveIndices(gram, pending, level.Eigenvalue * (1 + Slack), chunk);
            pending = pending.index_select(0, above);
            candidates.Keep(above);
            if (pending.shape[0] == 0)
            {
                break;
            }
            if (round == 0)
            {
                candidates.Rerank(RitzValues(gram, pending, chunk, RankingSteps));
            }
            // Krylov steps on the best ranked pending blocks find a higher level cheaply; blocks whose top they still miss are solved exactly.
            bool exact = round >= RefiningRounds;
            TorusMaximum reached = exact ? Exact(gram, pending, chunk) : Refined(gram, pending, candidates, chunk);
            if (reached.Eigenvalue > level.Eigenvalue)
            {
                level = reached;
            }
            if (exact)
            {
                break;   // every pending block is now solved, and the level is at least its top
            }
        }
        double n = gram.Rows;
        return level with { Eigenvalue = level.Eigenvalue * (1 + Slack) * (1 + 2 * n * (n + 1) * Math.Pow(2, -52)) };
    }

    /// <summary>The largest Ritz value after <see cref="KrylovSteps"/> steps on the best ranked blocks not refined before, at its frequency.</summary>
    private static TorusMaximum Refined(BlockSymbolGram gram, Tensor angles, FrequencyRanking ranking, long chunk)
    {
        using var scope = NewDisposeScope();
        Tensor chosen = angles.index_select(0, ranking.TakeBest(Candidates));
        return Best(chosen, RitzValues(gram, chosen, chunk, KrylovSteps));
    }

    /// <summary>The exact top of every block, at the frequency of the largest.</summary>
    private static TorusMaximum Exact(BlockSymbolGram gram, Tensor angles, long chunk) =>
        Best(angles, Chunked(gram, angles, chunk, (_, blocks) => linalg.eigvalsh(blocks).select(1, -1)));

    private static TorusMaximum Best(Tensor angles, Tensor values)
    {
        using var scope = NewDisposeScope();
        long index = values.argmax().item<long>();
        return new TorusMaximum(values[index].item<double>(), angles[index, 0].item<double>(), angles[index, 1].item<double>());
    }

    /// <summary>Positions among <paramref name="angles"/> of the frequencies whose block is not certified below <paramref name="level"/>.</summary>
    private static Tensor AboveIndices(BlockSymbolGram gram, Tensor angles, double level, long chunk)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < angles.shape[0]; start += chunk)
        {
            using var inner = NewDisposeScope();
            Tensor part = angles.narrow(0, start, Math.Min(chunk, angles.shape[0] - start));
            parts.Add(NotBelow(gram.BlocksAt(part), level).MoveToOuterDisposeScope());
        }
        return cat(parts).nonzero().view(-1).MoveToOuterDisposeScope();
    }

    private static Tensor RitzValues(BlockSymbolGram gram, Tensor angles, long chunk, int steps) =>
        Chunked(gram, angles, chunk, (_, blocks) => BatchedLanczos.TopRitzValues(blocks, steps));

    /// <summary>A per-frequency result over <paramref name="angles"/>, the blocks formed a chunk at a time.</summary>
    private static Tensor Chunked(BlockSymbolGram gram, Tensor angles, long chunk, Func<Tensor, Tensor, Tensor> each)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < angles.shape[0]; start += chunk)
        {
            using var inner = NewDisposeScope();
            Tensor part = angles.narrow(0, start, Math.Min(chunk, angles.shape[0] - start));
            parts.Add(each(part, gram.BlocksAt(part)).MoveToOuterDisposeScope());
        }
        return cat(parts).MoveToOuterDisposeScope();
    }

    /// <summary>True for each block whose Cholesky factorisation of level·I − block fails.</summary>
    private static Tensor NotBelow(Tensor blocks, double level)
    {
        using var scope = NewDisposeScope();
        Tensor scaled = eye(blocks.shape[1], dtype: complex128).Times(level);
        (Tensor _, Tensor info) = linalg.cholesky_ex(scaled.Minus(blocks));
        return info.ne(Scalars.Zero).MoveToOuterDisposeScope();
    }
}

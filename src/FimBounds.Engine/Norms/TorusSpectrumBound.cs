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
/// that block reaches) among the blocks of largest Frobenius norm, or a caller's value if larger;</item>
/// <item>one batched Cholesky factorisation of μ(1 + s)I − D D* per frequency (s = <see cref="Slack"/>):
/// where it completes, λ_max ≤ μ(1 + s) up to rounding; where it fails, the frequency stays pending;</item>
/// <item>the pending blocks are ranked by a few Lanczos steps (<see cref="RankingSteps"/>), more steps on
/// the best ranked raise μ, and the pending blocks are tested again (twice at most); blocks still pending
/// after that are solved exactly (eigvalsh) and μ raised to their tops.</item>
/// </list>
/// When the tops are nearly equal (random kernels: half the frequencies of a 64-channel layer can stay
/// pending after the first pass) the Frobenius norm ranks them poorly; the few-step ranking then costs a fraction of
/// full Krylov runs on every pending block, which cost more than the Cholesky pass itself.
/// The blocks are formed where each round uses them, a chunk at a time (<see cref="FrequencyBlocks"/>).
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

    /// <summary>
    /// How many blocks Krylov steps refine per round: F/8 within [4, 16]. With many small blocks a norm of the whole
    /// block ranks the top poorly (resnet18's 128- and 256-channel layers: the top at trace rank 7–38) and 16 candidates spare a second
    /// Cholesky pass over 29–38 pending blocks for little; with few large ones (34 blocks of 512²) refining 16 cost more
    /// than the pass it spared (measured per layer, side by side).
    /// </summary>
    private static int Candidates(long frequencies) => (int)Math.Clamp(frequencies / 8, 4, 16);
    private const int KrylovSteps = 24;
    private const int RefiningRounds = 2;

    /// <summary>Certified max_ω λ_max(D(ω)D(ω)*) over ω = 2π(u/mh, v/mw); <paramref name="knownBelow"/> ≤ that maximum (0 if unknown).</summary>
    public static TorusMaximum Maximum(BlockSymbolGram gram, long mh, long mw, double knownBelow)
    {
        using var scope = NewDisposeScope();
        Tensor angles = TorusFrequencies.Representatives(mh, mw);                         // [F, 2]
        var blocks = new FrequencyBlocks(gram, angles);
        var candidates = new FrequencyRanking(gram.SquaredFrobeniusAt(angles));
        int refinedPerRound = Candidates(blocks.Count);
        TorusMaximum level = Refined(blocks, null, candidates, refinedPerRound);
        if (knownBelow > level.Eigenvalue)
        {
            level = level with { Eigenvalue = knownBelow };
        }
        Tensor? pending = null;                                                            // positions among the representatives; null: all of them
        for (int round = 0; ; round++)
        {
            Tensor above = blocks.NotBelow(pending, level.Eigenvalue * (1 + Slack)).nonzero().view(-1);
            pending = pending is null ? above : pending.index_select(0, above);
            candidates.Keep(above);
            if (pending.shape[0] == 0)
            {
                break;
            }
            if (round == 0)
            {
                candidates.Rerank(blocks.TopRitzValues(pending, RankingSteps));
            }
            // Krylov steps on the best ranked pending blocks find a higher level cheaply; blocks whose top they still miss are solved exactly.
            bool exact = round >= RefiningRounds;
            TorusMaximum reached = exact ? Best(blocks.AnglesAt(pending), blocks.ExactTops(pending)) : Refined(blocks, pending, candidates, refinedPerRound);
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

    /// <summary>
    /// The largest Ritz value after <see cref="KrylovSteps"/> steps on the <paramref name="count"/> best ranked blocks not
    /// refined before, at its frequency; <paramref name="pending"/> are the positions the ranking's entries stand for (null: every frequency).
    /// </summary>
    private static TorusMaximum Refined(FrequencyBlocks blocks, Tensor? pending, FrequencyRanking ranking, int count)
    {
        using var scope = NewDisposeScope();
        Tensor best = ranking.TakeBest(count);
        Tensor chosen = pending is null ? best : pending.index_select(0, best);
        return Best(blocks.AnglesAt(chosen), blocks.TopRitzValues(chosen, KrylovSteps));
    }

    private static TorusMaximum Best(Tensor angles, Tensor values)
    {
        using var scope = NewDisposeScope();
        long index = values.argmax().item<long>();
        return new TorusMaximum(values[index].item<double>(), angles[index, 0].item<double>(), angles[index, 1].item<double>());
    }
}

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
/// <item>Lanczos on the pending blocks raises μ to the largest Ritz value among them, and they are tested
/// again; blocks still pending after that are solved exactly (eigvalsh) and μ raised to their tops.</item>
/// </list>
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

    private const int Candidates = 4;
    private const int KrylovSteps = 24;

    /// <summary>Certified max_ω λ_max(D(ω)D(ω)*) over ω = 2π(u/mh, v/mw); <paramref name="knownBelow"/> ≤ that maximum (0 if unknown).</summary>
    public static TorusMaximum Maximum(BlockSymbolGram gram, long mh, long mw, double knownBelow)
    {
        using var scope = NewDisposeScope();
        Tensor pending = TorusFrequencies.Representatives(mh, mw);                        // [F, 2]
        long chunk = Math.Max(1, 64L * 1024 * 1024 / (16 * gram.Rows * gram.Rows));        // ≈ 64 MB of blocks at a time
        Tensor widest = gram.TracesAt(pending).topk((int)Math.Min(Candidates, pending.shape[0])).indexes;
        (double level, long at) = Best(RitzValues(gram, pending.index_select(0, widest), chunk));
        Tensor top = pending[widest[at].item<long>()].clone();
        level = Math.Max(level, knownBelow);
        for (int round = 0; ; round++)
        {
            pending = Above(gram, pending, level * (1 + Slack), chunk);
            if (pending.shape[0] == 0)
            {
                break;
            }
            // The first time, Krylov steps find the level cheaply; blocks whose top they still miss are solved exactly.
            bool exact = round > 0;
            (double reached, long index) = Best(exact ? ExactTops(gram, pending, chunk) : RitzValues(gram, pending, chunk));
            if (reached > level)
            {
                level = reached;
                top = pending[index].clone();
            }
            if (exact)
            {
                break;   // every pending block is now solved, and the level is at least its top
            }
        }
        double n = gram.Rows;
        double bound = level * (1 + Slack) * (1 + 2 * n * (n + 1) * Math.Pow(2, -52));
        return new TorusMaximum(bound, top[0].item<double>(), top[1].item<double>());
    }

    private static (double Value, long Index) Best(Tensor values)
    {
        using var scope = NewDisposeScope();
        long index = values.argmax().item<long>();
        return (values[index].item<double>(), index);
    }

    /// <summary>The frequencies among <paramref name="angles"/> whose block is not certified below <paramref name="level"/>.</summary>
    private static Tensor Above(BlockSymbolGram gram, Tensor angles, double level, long chunk) =>
        Chunked(gram, angles, chunk, (part, blocks) => part.index_select(0, NotBelow(blocks, level)));

    private static Tensor RitzValues(BlockSymbolGram gram, Tensor angles, long chunk) =>
        Chunked(gram, angles, chunk, (_, blocks) => BatchedLanczos.TopRitzValues(blocks, KrylovSteps));

    private static Tensor ExactTops(BlockSymbolGram gram, Tensor angles, long chunk) =>
        Chunked(gram, angles, chunk, (_, blocks) => linalg.eigvalsh(blocks).select(1, -1));

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

    /// <summary>Indices of the blocks for which the Cholesky factorisation of level·I − block fails.</summary>
    private static Tensor NotBelow(Tensor blocks, double level)
    {
        using var scope = NewDisposeScope();
        Tensor scaled = eye(blocks.shape[1], dtype: complex128).Times(level);
        (Tensor _, Tensor info) = linalg.cholesky_ex(scaled.Minus(blocks));
        return info.ne(Scalars.Zero).nonzero().view(-1).MoveToOuterDisposeScope();
    }
}

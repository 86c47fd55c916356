using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The blocks D(ω)D(ω)* of a set of torus frequencies, handed to the certificate's three uses (Ritz values,
/// Cholesky tests, exact tops) a chunk at a time, formed from the tap Grams where they are used (negated:
/// −D D*, so that a Cholesky test only adds its level to the diagonal). Only the first Cholesky pass touches
/// every frequency; later rounds and the Ritz values touch a few, so forming a block again costs less than
/// keeping them all. Chunks stay below glibc's mmap threshold (32 MiB, raised to it by
/// <see cref="NativeBackend"/>): a larger block of memory is mapped afresh on every allocation and every
/// page faulted in again, which cost more than the products that fill it (resnet18's 64-channel layers: 1,625
/// blocks formed in 0.22 CPU-s in 64 MiB chunks, 0.07 in 16 MiB ones, the Cholesky pass 0.26 → 0.18).
/// Frequencies are named by their positions in the set given at construction.
/// </summary>
internal sealed class FrequencyBlocks
{
    /// <summary>The most memory one chunk of formed blocks takes (complex128): 16 MiB.</summary>
    public const long ChunkBytes = 16L * 1024 * 1024;

    private readonly BlockSymbolGram _gram;
    private readonly Tensor _angles;        // [F, 2] float64
    private readonly long _chunk;

    /// <param name="angles">[F, 2] float64, radians per tap; kept, not copied.</param>
    /// <param name="chunkBytes">The most memory one chunk of formed blocks may take (at least one block is formed at a time).</param>
    public FrequencyBlocks(BlockSymbolGram gram, Tensor angles, long chunkBytes = ChunkBytes)
    {
        _gram = gram;
        _angles = angles;
        _chunk = Math.Max(1, chunkBytes / (16 * gram.Rows * gram.Rows));
    }

    /// <summary>F: how many frequencies there are.</summary>
    public long Count => _angles.shape[0];

    /// <summary>[P, 2] the angles at <paramref name="positions"/> (every frequency's when null).</summary>
    public Tensor AnglesAt(Tensor? positions) => positions is null ? _angles : _angles.index_select(0, positions);

    /// <summary>[P] float64: the top Ritz value after <paramref name="steps"/> Lanczos steps of each block at <paramref name="positions"/> (every frequency when null).</summary>
    public Tensor TopRitzValues(Tensor? positions, int steps) =>
        Chunked(positions, negated => BatchedLanczos.TopRitzValues(negated, steps, negated: true));

    /// <summary>[P] float64: the exact λ_max of each block at <paramref name="positions"/> (every frequency when null).</summary>
    public Tensor ExactTops(Tensor? positions) => Chunked(positions, negated => linalg.eigvalsh(negated).select(1, 0).neg());

    /// <summary>
    /// [P] bool: true where the Cholesky factorisation of level·I − D(ω)D(ω)* fails (every frequency when
    /// <paramref name="positions"/> is null). The shifted matrix is the negated block with the level added to its
    /// diagonal — the same floating-point numbers as level·I − block. The pass over every frequency first lets
    /// single precision certify what it can (<see cref="SinglePrecisionScreen"/>: the same statement, proven
    /// cheaper); later passes test the few blocks near the top, which it would not certify.
    /// </summary>
    public Tensor NotBelow(Tensor? positions, double level)
    {
        if (positions is not null)
        {
            return Chunked(positions, negated => FailsAt(negated, level));
        }
        var screen = new SinglePrecisionScreen(_gram.Rows, level);
        return ChunkedAngles(null, angles => screen.Paying ? ScreenedNotBelow(angles, screen, level) : FailsAt(_gram.NegatedBlocksAt(angles), level));
    }

    /// <summary>The blocks at <paramref name="angles"/> formed and screened in single precision; those it leaves are formed in complex128 and tested there.</summary>
    private Tensor ScreenedNotBelow(Tensor angles, SinglePrecisionScreen screen, double level)
    {
        (Tensor single, double formingError) = _gram.NegatedSingleBlocksAt(angles);
        Tensor certified = screen.CertifiedBelow(single, formingError);
        Tensor rest = certified.logical_not().nonzero().view(-1);
        Tensor notBelow = zeros_like(certified);
        if (rest.shape[0] > 0)
        {
            notBelow.index_copy_(0, rest, FailsAt(_gram.NegatedBlocksAt(angles.index_select(0, rest)), level));
        }
        return notBelow;
    }

    /// <summary>[P] bool: whether the complex128 Cholesky factorisation of level·I − block fails; shifts <paramref name="negated"/> in place.</summary>
    private static Tensor FailsAt(Tensor negated, double level)
    {
        negated.diagonal(0, 1, 2).PlusInPlace(level);
        return linalg.cholesky_ex(negated).info.ne(Scalars.Zero);
    }

    /// <summary>A per-frequency result over <paramref name="positions"/> (every frequency when null), a chunk of freshly formed negated blocks at a time.</summary>
    private Tensor Chunked(Tensor? positions, Func<Tensor, Tensor> each) => ChunkedAngles(positions, angles => each(_gram.NegatedBlocksAt(angles)));

    /// <summary>A per-frequency result over <paramref name="positions"/> (every frequency when null), a chunk of angles at a time, in order.</summary>
    private Tensor ChunkedAngles(Tensor? positions, Func<Tensor, Tensor> each)
    {
        using var scope = NewDisposeScope();
        long count = positions?.shape[0] ?? Count;
        var parts = new List<Tensor>();
        for (long start = 0; start < count; start += _chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(_chunk, count - start);
            Tensor angles = positions is null ? _angles.narrow(0, start, length) : _angles.index_select(0, positions.narrow(0, start, length));
            parts.Add(each(angles).MoveToOuterDisposeScope());
        }
        return cat(parts).MoveToOuterDisposeScope();
    }
}

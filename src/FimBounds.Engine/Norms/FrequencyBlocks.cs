using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The blocks D(ω)D(ω)* of a set of torus frequencies, handed to the certificate's three uses (Ritz values,
/// Cholesky tests, exact tops) a chunk at a time. When all of them fit in <see cref="CacheBytes"/> they are
/// formed once and kept, negated (−D D*, so that a Cholesky test only adds its level to the diagonal); forming
/// them is a memory-bound pass over the tap Grams that cost as much as the factorisation itself when every
/// round formed them again. Frequencies are named by their positions in the set given at construction.
/// </summary>
internal sealed class FrequencyBlocks : IDisposable
{
    /// <summary>The most memory the formed blocks may hold (complex128): 256 MB.</summary>
    public const long CacheBytes = 256L * 1024 * 1024;

    private const long ChunkBytes = 64L * 1024 * 1024;

    private readonly BlockSymbolGram _gram;
    private readonly Tensor _angles;        // [F, 2] float64
    private readonly Tensor? _negated;      // [F, r, r] complex128: −D(ω)D(ω)* when cached
    private readonly long _chunk;

    /// <param name="angles">[F, 2] float64, radians per tap; kept, not copied.</param>
    /// <param name="cacheBytes">The most memory the formed blocks may hold; more, and they are formed a chunk at a time for each use.</param>
    public FrequencyBlocks(BlockSymbolGram gram, Tensor angles, long cacheBytes = CacheBytes)
    {
        _gram = gram;
        _angles = angles;
        long blockBytes = 16 * gram.Rows * gram.Rows;
        _chunk = Math.Max(1, ChunkBytes / blockBytes);
        if (angles.shape[0] * blockBytes <= cacheBytes)
        {
            _negated = gram.NegatedBlocksAt(angles).DetachFromDisposeScope();
        }
    }

    /// <summary>True when the blocks were formed once and are kept.</summary>
    public bool Cached => _negated is not null;

    /// <summary>F: how many frequencies there are.</summary>
    public long Count => _angles.shape[0];

    /// <summary>[P, 2] the angles at <paramref name="positions"/> (every frequency's when null).</summary>
    public Tensor AnglesAt(Tensor? positions) => positions is null ? _angles : _angles.index_select(0, positions);

    /// <summary>[P] float64: the top Ritz value after <paramref name="steps"/> Lanczos steps of each block at <paramref name="positions"/> (every frequency when null).</summary>
    public Tensor TopRitzValues(Tensor? positions, int steps) =>
        Chunked(positions, (negated, _) => BatchedLanczos.TopRitzValues(negated, steps, negated: true));

    /// <summary>[P] float64: the exact λ_max of each block at <paramref name="positions"/> (every frequency when null).</summary>
    public Tensor ExactTops(Tensor? positions) => Chunked(positions, (negated, _) => linalg.eigvalsh(negated).select(1, 0).neg());

    /// <summary>
    /// [P] bool: true where the Cholesky factorisation of level·I − D(ω)D(ω)* fails (every frequency when <paramref name="positions"/> is null). The shifted matrix is the
    /// negated block with the level added to its diagonal — the same floating-point numbers as level·I − block;
    /// a cached block gets its diagonal back, copied, not recomputed.
    /// </summary>
    public Tensor NotBelow(Tensor? positions, double level) => Chunked(positions, (negated, shared) =>
    {
        using var scope = NewDisposeScope();
        Tensor diagonal = negated.diagonal(0, 1, 2);
        Tensor kept = shared ? diagonal.clone() : diagonal;
        diagonal.PlusInPlace(level);
        (Tensor _, Tensor info) = linalg.cholesky_ex(negated);
        if (shared)
        {
            diagonal.copy_(kept);
        }
        return info.ne(Scalars.Zero).MoveToOuterDisposeScope();
    });

    public void Dispose() => _negated?.Dispose();

    /// <summary>
    /// A per-frequency result over <paramref name="positions"/> (every frequency when null), a chunk of negated blocks
    /// at a time; the flag says the chunk is a view of the cache (its contents must be left as they were) rather
    /// than a fresh tensor.
    /// </summary>
    private Tensor Chunked(Tensor? positions, Func<Tensor, bool, Tensor> each)
    {
        using var scope = NewDisposeScope();
        long count = positions?.shape[0] ?? Count;
        var parts = new List<Tensor>();
        for (long start = 0; start < count; start += _chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(_chunk, count - start);
            bool view = _negated is not null && positions is null;
            Tensor blocks = view ? _negated!.narrow(0, start, length)
                : _negated is not null ? _negated.index_select(0, positions!.narrow(0, start, length))
                : _gram.NegatedBlocksAt(positions is null ? _angles.narrow(0, start, length) : _angles.index_select(0, positions.narrow(0, start, length)));
            parts.Add(each(blocks, view).MoveToOuterDisposeScope());
        }
        return cat(parts).MoveToOuterDisposeScope();
    }
}

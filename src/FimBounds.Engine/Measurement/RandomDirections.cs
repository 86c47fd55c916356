using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Random vectors of the stochastic estimators, each input with its own generator derived from (seed,
/// input index): results do not depend on how the inputs were chunked.
/// </summary>
internal static class RandomDirections
{
    /// <summary>A generator for one input's random choices (SplitMix64 of seed and index, so nearby seeds decorrelate).</summary>
    public static Generator For(long seed, int index, int stream = 0)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return new Generator(x & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    /// <summary>Rows of i.i.d. standard normal entries, [rows, d] float64.</summary>
    public static Tensor Gaussian(long rows, long d, Generator generator) =>
        randn(new[] { rows, d }, dtype: float64, generator: generator);

    /// <summary>Rows drawn uniformly from the unit sphere, independently, [rows, d].</summary>
    public static Tensor UnitSphere(long rows, long d, Generator generator)
    {
        Tensor g = Gaussian(rows, d, generator);
        return g / g.norm(1, keepdim: true);
    }

    /// <summary>Rows of independent ±1 entries (Rademacher), [rows, d].</summary>
    public static Tensor Rademacher(long rows, long d, Generator generator) =>
        randint(0, 2, new[] { rows, d }, dtype: float64, generator: generator).Times(2).Minus(1);

    /// <summary>
    /// m unit directions, each uniformly distributed on the sphere, orthonormal in blocks of at most d
    /// (a Haar-random orthonormal frame: QR of a Gaussian matrix with the signs of R's diagonal fixed).
    /// E[vvᵀ] = I/d as for independent directions, so (d/m)Σ vvᵀ stays unbiased for I, but orthogonal
    /// directions sample the space without repeats: the sketch's variance shrinks by about (1 − m/d), and is
    /// zero for m = d.
    /// </summary>
    public static Tensor OrthonormalBlocks(long m, long d, Generator generator)
    {
        var blocks = new List<Tensor>();
        for (long done = 0; done < m; done += d)
        {
            long size = Math.Min(d, m - done);
            Tensor g = Gaussian(d, size, generator);
            (Tensor q, Tensor r) = linalg.qr(g, linalg.QRMode.Reduced);
            Tensor signs = r.diagonal().sign();
            signs = where(signs.eq(Scalars.Zero), ones_like(signs), signs);
            blocks.Add((q * signs.unsqueeze(0)).t());
        }
        return cat(blocks, 0);
    }
}

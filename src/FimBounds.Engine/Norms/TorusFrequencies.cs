using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The frequencies of an mh × mw torus that a real kernel's spectrum needs: one of each pair {ω, −ω}.
/// With real taps the block at −ω is the complex conjugate of the block at ω, so both have the same
/// eigenvalues. The pairs are (u, v) ~ (−u mod mh, −v mod mw): every column v with 0 &lt; 2v &lt; mw stands
/// for its mirror mw − v; the columns v = 0 and 2v = mw map onto themselves, and there each row u
/// stands for mh − u, so only u ≤ mh/2 is kept.
/// </summary>
internal static class TorusFrequencies
{
    /// <summary>(2πu/mh, 2πv/mw) for one representative of each conjugate pair, [F, 2] float64.</summary>
    public static Tensor Representatives(long mh, long mw)
    {
        using var scope = NewDisposeScope();
        var angles = new List<double>();
        for (long v = 0; 2 * v <= mw; v++)
        {
            bool selfMirrored = v == 0 || 2 * v == mw;
            for (long u = 0; u < mh && (!selfMirrored || 2 * u <= mh); u++)
            {
                angles.Add(2 * Math.PI * u / mh);
                angles.Add(2 * Math.PI * v / mw);
            }
        }
        return tensor(angles.ToArray(), dtype: float64).view(-1, 2).MoveToOuterDisposeScope();
    }
}

using FimBounds.Engine.Measurement;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// The largest λ_max(F(x')) found in a ball (∩ the pixel box): exact λ_max, batched, at the centre, at
/// random corners of the L∞ ball (where most ReLUs flip) or points of the L2 sphere, and at uniform
/// points inside, then along gradient ascents of λ_max itself (<see cref="FisherAscent"/>) from the best
/// points sampled. A lower estimate of the supremum that Λ(x, ε) bounds from above: their ratio is the
/// local bound's tightness, and a found value above Λ would be a soundness bug.
/// </summary>
public static class FisherInBall
{
    /// <param name="model">The classifier in the precision to measure in (float64 for certification).</param>
    /// <param name="centre">[C, H, W] or [1, C, H, W], pixels.</param>
    /// <param name="ascents">Ascents started from the best sampled points (0: sampling only).</param>
    /// <param name="ascentSteps">Gradient steps per ascent.</param>
    public static double LargestFound(nn.Module<Tensor, Tensor> model, Tensor centre, PerturbationNorm norm, double epsilon, int points, long seed,
        int ascents = 2, int ascentSteps = 8)
    {
        using var scope = NewDisposeScope();
        ScalarType dtype = centre.dtype;
        Tensor x = centre.reshape(new long[] { 1 }.Concat(centre.shape.TakeLast(3)).ToArray());
        using var generator = new Generator((ulong)seed);
        long[] shape = new[] { (long)points }.Concat(x.shape.Skip(1)).ToArray();
        Tensor delta;
        if (norm == PerturbationNorm.Linf)
        {
            Tensor uniform = rand(shape, dtype: dtype, generator: generator).Times(2).Plus(-1.0);
            Tensor corners = uniform.sign();
            Tensor half = tensor(Enumerable.Range(0, points).Select(i => i % 2 == 0).ToArray()).reshape(-1, 1, 1, 1);
            delta = where(half, corners, uniform).Times(epsilon);
        }
        else
        {
            Tensor direction = randn(shape, dtype: dtype, generator: generator);
            Tensor length = direction.flatten(1).norm(1, keepdim: true).ClampBelow(1e-300).reshape(-1, 1, 1, 1);
            Tensor scale = rand(points, dtype: dtype, generator: generator).sqrt().reshape(-1, 1, 1, 1).Times(epsilon);
            delta = direction.div(length).mul(scale);
        }
        Tensor candidates = cat(new[] { x, x.Plus(delta).ClampTo(0, 1) }, 0);
        double[] sampled = Measure(model, candidates, seed);
        int[] best = Enumerable.Range(0, sampled.Length).Where(i => !double.IsNaN(sampled[i]))
            .OrderByDescending(i => sampled[i]).Take(ascents).ToArray();
        if (best.Length == 0 || ascentSteps == 0)
        {
            return sampled.DefaultIfEmpty(double.NaN).Max();
        }
        Tensor starts = candidates.index_select(0, tensor(best.Select(i => (long)i).ToArray()));
        double[] ascended = Measure(model, FisherAscent.Ascend(model, x, starts, norm, epsilon, ascentSteps), seed);
        return sampled.Concat(ascended).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
    }

    /// <summary>The exact λ_max at each point (NaN where it is not finite).</summary>
    private static double[] Measure(nn.Module<Tensor, Tensor> model, Tensor points, long seed) =>
        FimMeasurer.Measure(model, points, FimMethod.Exact, new FimOptions { Precision = points.dtype, Seed = seed }).Samples
            .Select(s => s.IsFinite && s.LambdaMax is { } lambda ? lambda : double.NaN).ToArray();
}

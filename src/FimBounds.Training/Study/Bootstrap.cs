using FimBounds.Data;

namespace FimBounds.Training.Study;

/// <summary>A statistic with a percentile-bootstrap confidence interval; members are null when undefined.</summary>
public sealed record BootstrapEstimate(double? Value, double? Lower, double? Upper, double Confidence, int Resamples)
{
    public override string ToString() =>
        Value is not { } v ? "n/a"
        : Lower is { } lo && Upper is { } hi ? $"{v:F3} [{lo:F3}, {hi:F3}]" : $"{v:F3}";
}

/// <summary>
/// The percentile bootstrap over pairs: resample the n pairs with replacement, recompute the statistic,
/// take the (1−level)/2 and (1+level)/2 quantiles. Resamples where the statistic is undefined (e.g. all
/// values tied) are skipped; when fewer than half are defined the interval is reported as undefined.
/// Deterministic for a seed (SplitMix64).
/// </summary>
public static class Bootstrap
{
    public static BootstrapEstimate Estimate(
        IReadOnlyList<double> x, IReadOnlyList<double> y, Func<IReadOnlyList<double>, IReadOnlyList<double>, double?> statistic,
        int resamples = 1000, double confidence = 0.95, long seed = 0)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"the bootstrap needs pairs: {x.Count} x-values and {y.Count} y-values");
        }
        if (resamples < 1 || confidence is <= 0 or >= 1)
        {
            throw new ArgumentException("need at least one resample and a confidence level in (0, 1)");
        }
        double? value = statistic(x, y);
        int n = x.Count;
        if (value is null || n < 3)
        {
            return new BootstrapEstimate(value, null, null, confidence, resamples);
        }
        var random = new DeterministicRandom(seed);
        double[] sampleX = new double[n];
        double[] sampleY = new double[n];
        var estimates = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < n; i++)
            {
                int pick = random.NextInt(n);
                sampleX[i] = x[pick];
                sampleY[i] = y[pick];
            }
            if (statistic(sampleX, sampleY) is { } estimate)
            {
                estimates.Add(estimate);
            }
        }
        if (estimates.Count < resamples / 2.0)
        {
            return new BootstrapEstimate(value, null, null, confidence, resamples);
        }
        estimates.Sort();
        double alpha = (1 - confidence) / 2;
        return new BootstrapEstimate(value, Quantile(estimates, alpha), Quantile(estimates, 1 - alpha), confidence, resamples);
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values");
        }
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}

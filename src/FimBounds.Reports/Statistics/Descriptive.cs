using FimBounds.Reports.Model;

namespace FimBounds.Reports.Statistics;

/// <summary>Mean and quantiles of a sample. Pure; inputs are never modified.</summary>
public static class Descriptive
{
    public static double Mean(IReadOnlyList<double> values)
    {
        RequireNonEmpty(values);
        // Summing in sorted order makes the result independent of the input order (floating-point sums are not associative).
        double sum = 0;
        foreach (double v in values.Order())
        {
            sum += v;
        }
        return sum / values.Count;
    }

    /// <summary>Quantile q ∈ [0, 1] with linear interpolation between order statistics (Hyndman–Fan type 7).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        RequireNonEmpty(values);
        double[] sorted = values.Order().ToArray();
        return QuantileOfSorted(sorted, q);
    }

    public static FimSummary Summarize(IReadOnlyList<double> values)
    {
        RequireNonEmpty(values);
        double[] sorted = values.Order().ToArray();
        return new FimSummary(
            Count: sorted.Length,
            Mean: Mean(sorted),
            Median: QuantileOfSorted(sorted, 0.5),
            P95: QuantileOfSorted(sorted, 0.95),
            Max: sorted[^1],
            Min: sorted[0],
            Q1: QuantileOfSorted(sorted, 0.25),
            Q3: QuantileOfSorted(sorted, 0.75),
            Values: values.ToArray());
    }

    private static double QuantileOfSorted(double[] sorted, double q)
    {
        if (q < 0 || q > 1 || double.IsNaN(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile lies in [0, 1].");
        }
        double h = (sorted.Length - 1) * q;
        int lower = (int)Math.Floor(h);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    private static void RequireNonEmpty(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("A statistic of an empty sample is undefined.", nameof(values));
        }
    }
}

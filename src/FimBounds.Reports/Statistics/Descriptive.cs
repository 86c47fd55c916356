using FimBounds.Core.Statistics;

namespace FimBounds.Reports.Statistics;

/// <summary>Quantiles and the λ_max summary of a sample (the statistics live in Core.Statistics). Pure; inputs are never modified.</summary>
public static class Descriptive
{
    /// <summary>Quantile q ∈ [0, 1] of unsorted values (<see cref="Core.Statistics.Quantile"/>).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        RequireNonEmpty(values);
        return Core.Statistics.Quantile.OfSorted(values.Order().ToArray(), q);
    }

    /// <summary>The distribution of a model's λ_max values (all finite: the report validates them first).</summary>
    public static FimSummary Summarize(IReadOnlyList<double> values)
    {
        RequireNonEmpty(values);
        return FimSummary.Of(values, nonFinite: 0);
    }

    /// <summary>The median (mean of the middle two for an even count) of the values that are not NaN; +∞ sorts last; null when none.</summary>
    public static double? MedianOrNull(IEnumerable<double> values)
    {
        double[] sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void RequireNonEmpty(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("A statistic of an empty sample is undefined.", nameof(values));
        }
    }
}

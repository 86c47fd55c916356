using System;
using System.Collections.Generic;

namespace FimBounds.Core.Statistics;

/// <summary>
/// The project's one quantile: linear interpolation between order statistics (Hyndman–Fan type 7, NumPy's
/// default), so the median of an even count is the mean of the middle two.
/// </summary>
public static class Quantile
{
    /// <summary>The q-quantile, q ∈ [0, 1], of values already sorted ascending (at least one).</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("A quantile of an empty sample is undefined.", nameof(sorted));
        }
        if (q < 0 || q > 1 || double.IsNaN(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile lies in [0, 1].");
        }
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}

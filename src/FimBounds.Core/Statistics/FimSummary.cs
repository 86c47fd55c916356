using System.Collections.Generic;
using System.Linq;

namespace FimBounds.Core.Statistics;

/// <summary>
/// The distribution of λ_max(F(x)) (or of the trace, for an estimator of the trace) over a model's inputs:
/// statistics of the finite values, <see cref="NonFinite"/> counting the inputs left out. Every statistic
/// is NaN when no value is finite. Quantiles by <see cref="Quantile.OfSorted"/>.
/// </summary>
/// <param name="Values">The finite values in input order.</param>
public sealed record FimSummary(
    int Count,
    int NonFinite,
    double Mean,
    double Median,
    double P95,
    double Max,
    double Min,
    double Q1,
    double Q3,
    IReadOnlyList<double> Values)
{
    public static FimSummary Of(IReadOnlyList<double> values, int nonFinite)
    {
        if (values.Count == 0)
        {
            return new FimSummary(0, nonFinite, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, []);
        }
        double[] sorted = values.OrderBy(v => v).ToArray();
        // Summed in sorted order: the mean does not depend on the input order (floating-point sums are not associative).
        double sum = 0;
        foreach (double v in sorted)
        {
            sum += v;
        }
        return new FimSummary(
            sorted.Length,
            nonFinite,
            sum / sorted.Length,
            Quantile.OfSorted(sorted, 0.5),
            Quantile.OfSorted(sorted, 0.95),
            sorted[sorted.Length - 1],
            sorted[0],
            Quantile.OfSorted(sorted, 0.25),
            Quantile.OfSorted(sorted, 0.75),
            values.ToArray());
    }
}

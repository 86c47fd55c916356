namespace FimBounds.Reports.Model;

/// <summary>
/// The distribution of λ_max(F(x)) over a model's test inputs. Quantiles interpolate linearly between
/// order statistics (Hyndman–Fan type 7, numpy's default), so the median of an even count is the mean
/// of the middle two.
/// </summary>
public sealed record FimSummary(
    int Count,
    double Mean,
    double Median,
    double P95,
    double Max,
    double Min,
    double Q1,
    double Q3,
    IReadOnlyList<double> Values);

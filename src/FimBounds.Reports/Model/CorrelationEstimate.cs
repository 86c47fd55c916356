namespace FimBounds.Reports.Model;

/// <summary>
/// A correlation coefficient with its confidence interval. Null members mean "undefined" (too few pairs,
/// or a constant variable), which the renderers print as n/a and JSON writes as null.
/// </summary>
/// <param name="Method">How it was computed, e.g. "spearman, Fisher-z CI (Bonett–Wright)" or "spearman, bootstrap CI".</param>
/// <param name="Coefficient">The correlation in [−1, 1].</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Confidence">The interval's confidence level, e.g. 0.95.</param>
/// <param name="Pairs">How many pairs entered.</param>
/// <param name="Excluded">How many pairs were left out (no adversarial example found, or non-positive values).</param>
public sealed record CorrelationEstimate(
    string Method,
    double? Coefficient,
    double? Lower,
    double? Upper,
    double Confidence,
    int Pairs,
    int Excluded);

/// <summary>The least-squares line log10 ε = Intercept + Slope · log10 λ_max drawn through the scatter.</summary>
public sealed record TrendLine(double Slope, double Intercept, int Points);

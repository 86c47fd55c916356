using FimBounds.Reports.Model;

namespace FimBounds.Reports.Statistics;

/// <summary>
/// The per-input relation between λ_max and the minimal adversarial ε: Spearman's ρ (expected negative:
/// a more sensitive input needs a smaller perturbation) with a 95 % interval from Fisher's z and the
/// Bonett–Wright standard error √((1 + ρ²/2)/(n − 3)), and the log–log trend line of the scatter.
/// Pairs without an adversarial example (ε null or +∞) and non-positive values are excluded and counted.
/// </summary>
public static class SensitivityCorrelation
{
    public const string Method = "spearman; 95% CI by Fisher z with Bonett-Wright standard error";

    private const double Confidence = 0.95;

    // Φ⁻¹(0.975): the two-sided 95 % normal quantile.
    private const double Z975 = 1.959963984540054;

    public static (CorrelationEstimate Correlation, TrendLine? Trend) Compute(IReadOnlyList<InputSensitivity> inputs)
    {
        var usable = inputs.Where(IsUsable).ToList();
        int excluded = inputs.Count - usable.Count;
        double[] lambda = usable.Select(p => p.LambdaMax).ToArray();
        double[] epsilon = usable.Select(p => p.MinimalEpsilon!.Value).ToArray();

        double? rho = RankCorrelation.Spearman(lambda, epsilon);
        (double? lower, double? upper) = Interval(rho, usable.Count);
        var correlation = new CorrelationEstimate(Method, rho, lower, upper, Confidence, usable.Count, excluded);

        var fit = LinearFit.Fit(lambda.Select(Math.Log10).ToArray(), epsilon.Select(Math.Log10).ToArray());
        TrendLine? trend = fit is { } f ? new TrendLine(f.Slope, f.Intercept, usable.Count) : null;
        return (correlation, trend);
    }

    public static bool IsUsable(InputSensitivity pair) =>
        pair.LambdaMax > 0 && double.IsFinite(pair.LambdaMax)
        && pair.MinimalEpsilon is { } e && e > 0 && double.IsFinite(e);

    private static (double? Lower, double? Upper) Interval(double? rho, int n)
    {
        // |ρ| = 1 has no finite z; n ≤ 3 has no standard error.
        if (rho is not { } r || n <= 3 || Math.Abs(r) >= 1)
        {
            return (null, null);
        }
        double z = Math.Atanh(r);
        double se = Math.Sqrt((1 + r * r / 2) / (n - 3));
        return (Math.Tanh(z - Z975 * se), Math.Tanh(z + Z975 * se));
    }
}

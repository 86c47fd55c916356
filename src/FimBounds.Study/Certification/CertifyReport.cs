using FimBounds.Reports.Json;

namespace FimBounds.Study.Certification;

/// <summary>
/// The JSON document of `fimbounds certify`. The field names the issue spells out — samples[index, label,
/// predicted, certified, radius, localFimBound, lambdaMax] and summary{certifiedAccuracy, medianRadius,
/// pgdMedianMinimalEpsilon, medianRadiusRatio} — are a contract; the others are additions. Numbers that
/// do not exist (no radius asked for, no PGD search in L2) are null.
/// </summary>
public sealed record CertifyReport(
    string Spec,
    string Checkpoint,
    string Norm,
    string Method,
    double Epsilon,
    string Inputs,
    CertifyReport.RadiusSearchRow? RadiusSearch,
    IReadOnlyList<CertifyReport.SampleRow> Samples,
    CertifyReport.SummaryRow Summary,
    double Seconds)
{
    /// <param name="Maximum">Largest ε tried.</param>
    /// <param name="Tolerance">Width of the final bisection bracket.</param>
    public sealed record RadiusSearchRow(double Maximum, double Tolerance);

    /// <param name="Radius">Certified radius of the label (0 when misclassified; null without --radius).</param>
    /// <param name="LocalFimBound">Λ(x, ε) ≥ λ_max(F(x')) over the ball.</param>
    /// <param name="LambdaMax">Exact λ_max(F(x)) at the input.</param>
    /// <param name="LargestLambdaInBall">The largest λ_max measured at the centre and at sampled points of the ball.</param>
    /// <param name="LocalFimTightness">Λ / LargestLambdaInBall (≥ 1 when sound).</param>
    /// <param name="PgdMinimalEpsilon">The PGD-L∞ minimal ε (null: L2, not searched, or no adversary up to the search's maximum — <see cref="PgdFound"/> tells which).</param>
    /// <param name="RadiusRatio">Radius / PgdMinimalEpsilon where both are positive and finite.</param>
    public sealed record SampleRow(
        int Index, int Label, int Predicted, bool Certified, double? Radius, double LocalFimBound, double LambdaMax,
        double LargestLambdaInBall, double LocalFimTightness, double? PgdMinimalEpsilon, double? RadiusRatio,
        double JacobianCentreNorm, double JacobianRadiusNorm)
    {
        /// <summary>
        /// Whether the minimal-ε search found an adversary (null when it did not run): JSON writes the +∞ of a
        /// survivor as null (<see cref="JsonPolicy"/>), and this flag says which null it is.
        /// </summary>
        public bool? PgdFound => PgdMinimalEpsilon is { } epsilon ? !double.IsPositiveInfinity(epsilon) : null;
    }

    /// <param name="CertifiedAccuracy">Fraction of inputs correctly classified and certified at ε.</param>
    /// <param name="MedianRadius">Median certified radius (null without --radius).</param>
    /// <param name="PgdMedianMinimalEpsilon">Median PGD-L∞ minimal ε over the correctly classified inputs (null in L2).</param>
    /// <param name="MedianRadiusRatio">Median of the per-input radius / PGD minimal ε.</param>
    /// <param name="IbpCostRatio">IBP's time per input at one ε over the exact FIM's time per input, same run.</param>
    /// <param name="CrownCostRatio">The same for CROWN.</param>
    /// <param name="RadiusViolations">Inputs whose certified radius exceeds their PGD minimal ε (a bug if ever non-zero).</param>
    /// <param name="FisherViolations">Inputs where a measured λ_max in the ball exceeds Λ (a bug if ever non-zero).</param>
    /// <param name="RadiusRatioInputs">Inputs in <see cref="MedianRadiusRatio"/>: those with a radius and a PGD minimal ε found within the search.</param>
    /// <param name="PgdSurvivors">Correctly classified inputs PGD never broke up to the search's largest ε: no ratio, left out of the median (null in L2).</param>
    public sealed record SummaryRow(
        double CertifiedAccuracy, double? MedianRadius, double? PgdMedianMinimalEpsilon, double? MedianRadiusRatio,
        double CleanAccuracy, double MedianLocalFimTightness, double MedianLocalFimBound, double MedianLambdaMax,
        double ExactSecondsPerInput, double IbpSecondsPerInput, double CrownSecondsPerInput, double IbpCostRatio, double CrownCostRatio,
        int RadiusViolations, int FisherViolations, int RadiusRatioInputs, int? PgdSurvivors);

    public string ToJson() => JsonPolicy.Serialize(this) + Environment.NewLine;
}

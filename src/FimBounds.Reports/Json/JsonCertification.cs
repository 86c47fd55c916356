using FimBounds.Reports.Model;
using static FimBounds.Reports.Formatting.Numbers;

namespace FimBounds.Reports.Json;

/// <summary>
/// A model's <c>certification</c> block in report.json (issue 15): certified ≤ PGD per ε, radii against PGD's minimal ε, Λ against the
/// global bound. <c>medianRadiusRatio</c> is over <c>radiusRatioInputs</c> inputs; the <c>pgdSurvivors</c> PGD never broke are left out.
/// </summary>
internal sealed record JsonCertification(
    string Method,
    string Norm,
    int Count,
    IReadOnlyList<JsonCertifiedAccuracy> Accuracies,
    double? MedianRadius,
    double? MedianPgdMinimalEpsilon,
    double? MedianRadiusRatio,
    int RadiusRatioInputs,
    int PgdSurvivors,
    double LocalEpsilon,
    double? MedianLocalFimBound,
    double? MedianLocalTightness,
    double? LocalOverGlobal,
    bool SandwichHolds,
    int SandwichViolations,
    int LocalFimBoundViolations,
    string? Unsupported,
    IReadOnlyList<JsonCertifiedInput> PerInput)
{
    public static JsonCertification? Of(CertificationSummary? c) => c is null
        ? null
        : new JsonCertification(
            c.Method, c.Norm, c.Inputs,
            c.Accuracies.Select(a => new JsonCertifiedAccuracy(Round(a.Epsilon), Round(a.CertifiedAccuracy), Round(a.PgdAccuracy), a.SandwichHolds)).ToList(),
            Round(c.MedianRadius), Round(c.MedianPgdMinimalEpsilon), Round(c.MedianRadiusRatio), c.RadiusRatioInputs, c.PgdSurvivors, Round(c.LocalEpsilon),
            Round(c.MedianLocalFimBound), Round(c.MedianLocalTightness), Round(c.LocalOverGlobal),
            c.SandwichHolds, c.SandwichViolations, c.FisherViolations, c.Unsupported,
            c.PerInput.Select(i => new JsonCertifiedInput(i.Index, i.Correct, i.CertifiedAt, Round(i.Radius), Round(i.PgdMinimalEpsilon),
                Round(i.LocalFimBound), Round(i.LargestLambdaInBall))).ToList());
}

/// <param name="PgdAccuracy">Fraction of the same inputs PGD did not break at ε (minimal-ε search).</param>
/// <param name="SandwichHolds">certifiedAccuracy ≤ pgdAccuracy; null when PGD was not run on every input.</param>
internal sealed record JsonCertifiedAccuracy(double Epsilon, double? CertifiedAccuracy, double? PgdAccuracy, bool? SandwichHolds);

internal sealed record JsonCertifiedInput(
    int Index, bool Correct, IReadOnlyList<bool> CertifiedAt, double Radius, double? PgdMinimalEpsilon, double LocalFimBound, double LargestLambdaInBall);

using static FimBounds.Reports.Statistics.Descriptive;

namespace FimBounds.Reports.Model;

/// <summary>
/// What a model's <see cref="CertificationMeasurement"/> says, derived once for every output. The sandwich
/// certified ≤ true ≤ attacked must hold at every ε: per input, certified at ε ⇒ PGD found nothing at ε;
/// per model, certified accuracy ≤ PGD robust accuracy on the same inputs. <see cref="SandwichViolations"/>
/// counts the inputs where it broke, <see cref="FisherViolations"/> those where a λ_max measured in the ball
/// exceeds the local bound Λ (both bugs in the certification, shown loudly). <see cref="MedianRadiusRatio"/> is the median over
/// the <see cref="RadiusRatioInputs"/> correctly classified inputs PGD broke within its search; the <see cref="PgdSurvivors"/> it
/// never broke have no ratio (their minimal ε is only known to exceed the search's largest ε) and are left out of it.
/// </summary>
public sealed record CertificationSummary(
    string Method,
    string Norm,
    int Inputs,
    IReadOnlyList<CertifiedAccuracyRow> Accuracies,
    double? MedianRadius,
    double? MedianPgdMinimalEpsilon,
    double? MedianRadiusRatio,
    double LocalEpsilon,
    double? MedianLocalFimBound,
    double? MedianLocalTightness,
    double? LocalOverGlobal,
    int SandwichViolations,
    int FisherViolations,
    IReadOnlyList<CertifiedInput> PerInput,
    string? Unsupported,
    int RadiusRatioInputs,
    int PgdSurvivors)
{
    public bool SandwichHolds => SandwichViolations == 0;

    public bool LocalBoundHolds => FisherViolations == 0;

    /// <summary>PGD succeeded at an ε where the input is certified (at one of the fixed radii, or within its certified radius).</summary>
    public static bool Broken(CertifiedInput input, IReadOnlyList<double> epsilons) =>
        input.PgdMinimalEpsilon is { } m
        && (epsilons.Where((eps, e) => input.CertifiedAt[e] && m <= eps).Any() || (input.Radius > 0 && input.Radius >= m));

    public static CertificationSummary Of(CertificationMeasurement c, double boundGlobal)
    {
        var rows = new List<CertifiedAccuracyRow>();
        int n = c.Inputs.Count;
        for (int e = 0; e < c.Epsilons.Count; e++)
        {
            double eps = c.Epsilons[e];
            int certified = c.Inputs.Count(i => i.CertifiedAt[e]);
            int attacked = c.Inputs.Count(i => i.PgdMinimalEpsilon is not null);
            int pgdRobust = c.Inputs.Count(i => i.Correct && i.PgdMinimalEpsilon is { } m && m > eps);
            rows.Add(new CertifiedAccuracyRow(
                eps,
                n == 0 ? null : certified / (double)n,
                attacked == n && n > 0 ? pgdRobust / (double)n : null,
                attacked == n && n > 0 ? certified <= pgdRobust : null));
        }
        int violations = c.Inputs.Count(i => Broken(i, c.Epsilons));
        var correct = c.Inputs.Where(i => i.Correct).ToList();
        double[] ratios = correct
            .Where(i => i.PgdMinimalEpsilon is { } m && m > 0 && double.IsFinite(m))
            .Select(i => i.Radius / i.PgdMinimalEpsilon!.Value).ToArray();
        double[] tightness = c.Inputs.Where(i => i.LargestLambdaInBall > 0).Select(i => i.LocalFimBound / i.LargestLambdaInBall).ToArray();
        double? medianLocal = MedianOrNull(c.Inputs.Select(i => i.LocalFimBound));
        return new CertificationSummary(
            c.Method, c.Norm, n, rows,
            MedianOrNull(correct.Select(i => i.Radius)),
            MedianOrNull(correct.Where(i => i.PgdMinimalEpsilon is not null).Select(i => i.PgdMinimalEpsilon!.Value)),
            MedianOrNull(ratios),
            c.LocalEpsilon,
            medianLocal,
            MedianOrNull(tightness),
            medianLocal is { } l && boundGlobal > 0 ? l / boundGlobal : null,
            violations,
            c.Inputs.Count(i => i.LargestLambdaInBall > i.LocalFimBound),
            c.Inputs,
            c.Unsupported,
            ratios.Length,
            correct.Count(i => i.PgdMinimalEpsilon is { } m && double.IsPositiveInfinity(m)));
    }
}

/// <summary>At one ε: certified accuracy, PGD robust accuracy on the same inputs (from the minimal-ε search), and whether certified ≤ PGD.</summary>
public sealed record CertifiedAccuracyRow(double Epsilon, double? CertifiedAccuracy, double? PgdAccuracy, bool? SandwichHolds);

using System.Globalization;
using FimBounds.Reports.Formatting;
using FimBounds.Reports.Model;

namespace FimBounds.Reports.Tables;

/// <summary>The certification tables (issue 15): certified accuracy beside PGD's at each ε, radii, and the local FIM bound.</summary>
public static class CertificationTables
{
    /// <summary>Whether any model of the report carries a certification block.</summary>
    public static bool Any(RankingReport report) => report.Models.Any(m => m.Certification is not null);

    /// <summary>
    /// Certified ≤ true ≤ PGD per ε (the "Sandwich" column flags any input or model where it broke), the
    /// median certified radius against PGD's minimal ε, and Λ(x, ε) against the largest λ_max found in the
    /// ball and against the global bound.
    /// </summary>
    public static Table Sandwich(RankingReport report)
    {
        var certified = report.Models.Where(m => m.Certification is not null).ToList();
        IReadOnlyList<double> epsilons = certified.Select(m => m.Certification!.Accuracies.Select(a => a.Epsilon).ToList())
            .FirstOrDefault(e => e.Count > 0) ?? [];
        string method = certified.Select(m => m.Certification!.Method).FirstOrDefault() ?? "";
        string local = certified.Select(m => Epsilon(m.Certification!.LocalEpsilon)).FirstOrDefault() ?? "";
        return new Table(
            $"Certified vs attacked accuracy (L∞, {method.ToUpperInvariant()})",
            [
                new("Model"), new("Inputs", Align.Right),
                .. epsilons.Select(e => new TableColumn($"Certified / PGD @ {Epsilon(e)}", Align.Right)),
                new("Sandwich"), new("Median radius", Align.Right), new("Median PGD ε", Align.Right), new("Radius / PGD ε (median)", Align.Right),
                new($"Λ / λ found in ball @ {local}", Align.Right), new("Λ / global bound", Align.Right),
            ],
            certified.Select(m => Row(m, m.Certification!, epsilons.Count)).ToList()).Validate();
    }

    /// <summary>The plot's file under plots/ (rendered by the report writer beside report.md).</summary>
    public const string PlotFile = "certified-radius-vs-pgd-epsilon.png";

    /// <summary>One headline sentence: the sandwich broken (loudly) or holding, with the range of median radius ratios; null without certification.</summary>
    public static string? HeadlineLine(RankingReport report)
    {
        var certified = report.Models.Where(m => m.Certification is { Unsupported: null }).ToList();
        if (certified.Count == 0)
        {
            return null;
        }
        var broken = certified.Where(m => !m.Certification!.SandwichHolds || !m.Certification.LocalBoundHolds).ToList();
        if (broken.Count > 0)
        {
            return $"CERTIFICATE BROKEN for {string.Join(", ", broken.Select(m => m.Label))}: PGD found an adversarial example inside a certified ball, or a λ_max above the local bound Λ. " +
                   "This is a bug in the certification, not a tolerance.";
        }
        var ratios = certified.Select(m => m.Certification!.MedianRadiusRatio).OfType<double>().ToList();
        string range = ratios.Count == 0 ? ""
            : ratios.Min() == ratios.Max() ? $"; median certified radius / PGD ε {Numbers.Format(ratios.Min())}"
            : $"; median certified radius / PGD ε from {Numbers.Format(ratios.Min())} to {Numbers.Format(ratios.Max())}";
        string models = certified.Count == 1 ? certified[0].Label : $"all {certified.Count} certified models";
        return $"Certified ≤ PGD accuracy holds for {models}{range}.";
    }

    /// <summary>What the columns mean, shared by Markdown and HTML.</summary>
    public const string Note =
        "Certified: every margin of the label stays positive over the whole L∞ ball (∩ [0,1]), by bound propagation; PGD: the same inputs' minimal-ε search " +
        "found no adversarial example at that ε. Certified ≤ true robust ≤ PGD must hold; \"VIOLATED\" marks a broken certificate (a bug). " +
        "Radius: the largest certified ε (bisection); radius / PGD ε is per input, its median over the correctly classified inputs PGD broke within its search " +
        "(inputs it never broke have no ratio and are left out: report.json's radiusRatioInputs and pgdSurvivors count both). " +
        "Λ: the local FIM bound over the ball, against the largest exact λ_max found at sampled points of the ball and against the global bound.";

    private static IReadOnlyList<string> Row(ModelReport m, CertificationSummary c, int columns)
    {
        if (c.Unsupported is { } reason)
        {
            return [m.Label, "0", .. Enumerable.Repeat("n/a", columns), reason, "n/a", "n/a", "n/a", "n/a", "n/a"];
        }
        return
        [
            m.Label, c.Inputs.ToString(CultureInfo.InvariantCulture),
            .. c.Accuracies.Select(a => $"{Numbers.Percent(a.CertifiedAccuracy)} / {Numbers.Percent(a.PgdAccuracy)}"),
            (c.SandwichHolds ? "holds" : $"VIOLATED ({c.SandwichViolations} input(s))") + (c.LocalBoundHolds ? "" : $"; Λ VIOLATED ({c.FisherViolations} input(s))"),
            Epsilon(c.MedianRadius), Epsilon(c.MedianPgdMinimalEpsilon), Numbers.Format(c.MedianRadiusRatio),
            Numbers.Format(c.MedianLocalTightness), Numbers.Format(c.LocalOverGlobal),
        ];
    }

    /// <summary>An L∞ radius in pixel units, also in 255ths ("2/255", "0.0123 (3.1/255)").</summary>
    public static string Epsilon(double? value)
    {
        if (value is not { } v)
        {
            return "n/a";
        }
        if (double.IsPositiveInfinity(v))
        {
            return "> search";
        }
        double steps = v * 255;
        return Math.Abs(steps - Math.Round(steps)) < 1e-9 && steps >= 1
            ? $"{Math.Round(steps).ToString(CultureInfo.InvariantCulture)}/255"
            : $"{Numbers.Format(v)} ({Numbers.Format(steps)}/255)";
    }
}

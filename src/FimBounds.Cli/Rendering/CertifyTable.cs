using System.Globalization;
using FimBounds.Study.Certification;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>The readable account of a certify run printed to standard output.</summary>
public static class CertifyTable
{
    private const int SampleRows = 10;

    public static void Render(IAnsiConsole console, CertifyReport report)
    {
        console.WriteLine($"{report.Spec} ({report.Checkpoint}): {report.Method.ToUpperInvariant()} over {Norm(report.Norm)} balls of radius {F(report.Epsilon)} ∩ [0,1], {report.Inputs}");
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "input", "label", "predicted", "certified", "radius", "PGD min ε", "ratio", "Λ(x, ε)", "λ_max(x)", "max λ in ball", "Λ / max" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (CertifyReport.SampleRow s in report.Samples.Take(SampleRows))
        {
            table.AddRow(s.Index.ToString(CultureInfo.InvariantCulture), s.Label.ToString(CultureInfo.InvariantCulture), s.Predicted.ToString(CultureInfo.InvariantCulture),
                s.Certified ? "yes" : "no", F(s.Radius), F(s.PgdMinimalEpsilon), F(s.RadiusRatio), F(s.LocalFimBound), F(s.LambdaMax),
                F(s.LargestLambdaInBall), F(s.LocalFimTightness));
        }
        console.Write(table);
        if (report.Samples.Count > SampleRows)
        {
            console.WriteLine($"… {report.Samples.Count - SampleRows} more inputs in the JSON (--json).");
        }
        CertifyReport.SummaryRow s2 = report.Summary;
        console.WriteLine($"certified accuracy at ε = {F(report.Epsilon)}: {s2.CertifiedAccuracy:P1} (clean {s2.CleanAccuracy:P1})");
        if (report.RadiusSearch is { } search)
        {
            console.WriteLine($"median certified radius {F(s2.MedianRadius)} (bisection up to {F(search.Maximum)}, tolerance {F(search.Tolerance)}); " +
                              $"median PGD minimal ε {F(s2.PgdMedianMinimalEpsilon)}; median radius / PGD minimal ε {F(s2.MedianRadiusRatio)} " +
                              $"over {s2.RadiusRatioInputs} input(s){(s2.PgdSurvivors is > 0 ? $" ({s2.PgdSurvivors} PGD never broke up to {F(search.Maximum)}: left out)" : "")}");
        }
        console.WriteLine($"local FIM bound: median Λ(x, ε) {F(s2.MedianLocalFimBound)} vs median λ_max(x) {F(s2.MedianLambdaMax)}; " +
                          $"median Λ / largest λ_max found in the ball {F(s2.MedianLocalFimTightness)}");
        console.WriteLine($"cost per input and ε: IBP {s2.IbpSecondsPerInput * 1000:F1} ms ({F(s2.IbpCostRatio)}× exact FIM), " +
                          $"CROWN {s2.CrownSecondsPerInput * 1000:F0} ms ({F(s2.CrownCostRatio)}×); exact FIM {s2.ExactSecondsPerInput * 1000:F2} ms");
        console.WriteLine(s2.RadiusViolations == 0 && s2.FisherViolations == 0
            ? "no attack or measurement broke a certificate."
            : $"BROKEN: {s2.RadiusViolations} radii above the PGD minimal ε, {s2.FisherViolations} λ_max above Λ.");
    }

    private static string Norm(string norm) => norm == "l2" ? "L2" : "L∞";

    private static string F(double? value) => value switch
    {
        null => "–",
        { } v when double.IsPositiveInfinity(v) => "∞",
        { } v => v.ToString("G4", CultureInfo.InvariantCulture),
    };
}

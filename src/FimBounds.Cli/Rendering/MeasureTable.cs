using System.Globalization;
using FimBounds.Study.Measurement;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>The readable account of a measurement printed to standard output.</summary>
public static class MeasureTable
{
    private const int SampleRows = 10;

    public static void Render(IAnsiConsole console, MeasureReport report)
    {
        console.WriteLine($"{report.Spec}: {report.MethodDescription}");
        console.WriteLine($"{report.Samples.Count} inputs: {report.Inputs}; {report.Precision} precision, {report.Classes} classes, d = {report.InputDimension}");
        console.WriteLine(report.Checkpoint is { } checkpoint ? $"weights: {checkpoint}" : $"weights: random initialisation (seed {report.Seed})");
        if (report.BiasedLow)
        {
            console.WriteLine("note: this is an SRP compatibility estimator; it is biased LOW (see 'fimbounds measure --help').");
        }

        bool interval = report.Samples.Any(s => s.CiLow is not null);
        var samples = new Table().Border(TableBorder.Simple);
        samples.AddColumn("input");
        samples.AddColumn(new TableColumn(report.Summary.Of == "trace" ? "tr F (est.)" : "λ_max").RightAligned());
        if (interval)
        {
            samples.AddColumn(new TableColumn(report.Method == "hutchinson" ? "λ_max ∈" : "95% CI").RightAligned());
        }
        samples.AddColumn(new TableColumn("p_max").RightAligned());
        samples.AddColumn(new TableColumn("c_p·L²").RightAligned());
        if (report.Samples.Any(s => s.LocalBound is not null))
        {
            samples.AddColumn(new TableColumn("local bound").RightAligned());
        }
        foreach (MeasureReport.SampleRow s in report.Samples.Take(SampleRows))
        {
            var cells = new List<string> { s.Index.ToString(CultureInfo.InvariantCulture) };
            if (s.Status != "Ok")
            {
                cells.Add(Markup.Escape($"{s.Status}: {s.Problem}"));
                while (cells.Count < samples.Columns.Count)
                {
                    cells.Add("");
                }
                samples.AddRow(cells.ToArray());
                continue;
            }
            cells.Add(F(report.Summary.Of == "trace" ? s.Trace : s.LambdaMax));
            if (interval)
            {
                cells.Add($"[{F(s.CiLow)}, {F(s.CiHigh)}]");
            }
            cells.Add(F(s.PMax, "F3"));
            cells.Add(F(s.ConfidenceAwareBound));
            if (samples.Columns.Count > cells.Count)
            {
                cells.Add(F(s.LocalBound));
            }
            samples.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(samples);
        if (report.Samples.Count > SampleRows)
        {
            console.WriteLine($"… {report.Samples.Count - SampleRows} more inputs (all of them with --json).");
        }

        MeasureReport.SummaryRow summary = report.Summary;
        console.WriteLine(
            $"{(summary.Of == "trace" ? "tr F" : "λ_max")} over {summary.Count} inputs: mean {F(summary.Mean)}, median {F(summary.Median)}, " +
            $"p95 {F(summary.P95)}, max {F(summary.Max)}" + (summary.NonFinite > 0 ? $"; {summary.NonFinite} inputs NOT FINITE (left out)" : ""));

        var layers = new Table().Border(TableBorder.Simple);
        layers.AddColumn("layer");
        layers.AddColumn("kind");
        layers.AddColumn(new TableColumn("factor").RightAligned());
        layers.AddColumn(new TableColumn("attained").RightAligned());
        foreach (MeasureReport.LayerRow row in report.PerLayer.Where(r => r.Kind is not ("sequence" or "residual" or "denseblock") || r.Depth == 0))
        {
            string name = row.FoldedWith is { } bn && row.Kind == "conv2d" ? $"{row.Name} (+{bn})" : row.Name;
            layers.AddRow(Markup.Escape(name), Markup.Escape(row.Kind), F(row.Factor), F(row.Attained));
        }
        console.Write(layers);

        foreach (MeasureReport.AssumptionRow a in report.Bound.Assumptions)
        {
            console.WriteLine($"assumption {a.Quantity} at {a.Layer} = {F(a.Value)} ({a.Source})");
        }
        MeasureReport.BoundRow bound = report.Bound;
        console.WriteLine($"bound: λ_max(F(x)) ≤ ½·L² = {F(bound.Global)} (L = {F(bound.Lipschitz)}; with attained norms {F(bound.GlobalAtAttainedValues)})");
        console.WriteLine(bound.Holds
            ? $"the bound holds at every input (slack: bound / max measured = {F(bound.Slack)})"
            : $"the bound does NOT hold at {bound.Violations.Select(v => v.Index).Distinct().Count()} inputs");
        console.WriteLine($"time: {report.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s (measure {report.MeasureSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, bound {report.BoundSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)");
    }

    private static string F(double? value, string format = "G4") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}

using System.Globalization;
using FimBounds.Study.Benchmarks;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>The table and summary lines `fimbounds bench` prints: each ratio beside its target and verdict.</summary>
public static class BenchTable
{
    public static void Render(IAnsiConsole console, BenchReport report)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string header in new[] { "spec", "forward ms/in", "exact ms/in", "exact/forward", "srp loop/exact", "black-box err", "CI coverage", "srp-bb err" })
        {
            table.AddColumn(header == "spec" ? new TableColumn(header) : new TableColumn(header).RightAligned());
        }
        foreach (BenchReport.ModelRow m in report.Models)
        {
            table.AddRow(
                Markup.Escape(m.Spec),
                F(m.ForwardMsPerInput, "F3"),
                F(m.ExactMsPerInput, "F3"),
                Markup.Escape($"{F(m.ExactOverForward, "F1")} (≤ {m.Classes + 2}) {Verdict(m.ExactTargetMet)}"),
                Markup.Escape($"{F(m.SrpLoopOverExact, "F1")} (≥ 3) {Verdict(m.SrpSpeedupTargetMet)}"),
                Markup.Escape($"{P(m.BlackboxMedianRelError)} (≤ 15%) {Verdict(m.BlackboxErrorTargetMet)}"),
                Markup.Escape($"{P(m.BlackboxCiCoverage)} (≥ 85%) {Verdict(m.CoverageTargetMet)}"),
                P(m.SrpBlackboxMedianRelError));
        }
        console.Write(table);
        console.WriteLine(
            $"Lanczos at K = {report.Lanczos.Classes}: max relative error {report.Lanczos.RelError.ToString("E2", CultureInfo.InvariantCulture)} (≤ 1e-3), " +
            $"{F(report.Lanczos.LanczosMs, "F0")} ms vs exact {F(report.Lanczos.ExactMs, "F0")} ms ({F(report.Lanczos.ExactMs / report.Lanczos.LanczosMs, "F1")}× faster), " +
            $"median {report.Lanczos.MedianIterations} steps {Verdict(report.Lanczos.TargetMet)}");
        if (report.Training is { } t)
        {
            console.WriteLine(
                $"Training {t.Spec} ({t.Epochs} epochs on {t.TrainImages:N0} images of the {t.Dataset}, {t.Threads} threads): test accuracy " +
                $"{P(t.TestAccuracy)} (≥ {P(t.AccuracyTarget)}) in {F(t.Seconds, "F1")} s (< {F(t.SecondsTarget, "F0")} s; {F(t.CpuSeconds, "F1")} s CPU) " +
                Verdict(t.TargetMet));
        }
        if (report.FullSize is { } full)
        {
            console.WriteLine(
                $"Full size {full.Spec} (random weights and input, float32): bound instantiated in {F(full.BoundSeconds, "F1")} s " +
                $"(≤ {F(full.BoundTargetSeconds, "F0")} s) {Verdict(full.BoundTargetMet)} on {full.BoundThreads} threads ({F(full.BoundCpuSeconds, "F1")} s CPU; " +
                $"with the attained norms {F(full.BoundWithAttainedSeconds, "F1")} s, {F(full.BoundWithAttainedCpuSeconds, "F1")} s CPU), Lanczos measurement {F(full.MeasureSecondsPerInput, "F1")} s per input, " +
                $"λ_max {full.LambdaMax.ToString("G4", CultureInfo.InvariantCulture)} ≤ bound {full.Bound.ToString("G4", CultureInfo.InvariantCulture)}");
        }
        PeerTable.Render(console, report.Peers ?? []);
        if (report.Certification is { } certification)
        {
            CertificationBenchLines.Render(console, certification);
        }
        console.WriteLine($"{report.Threads} thread(s), {report.Rounds} interleaved timing rounds, inputs: {report.Inputs}; times are medians, ratios medians of per-round ratios.");
    }

    private static string Verdict(bool met) => met ? "ok" : "MISSED";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string P(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "–";
}

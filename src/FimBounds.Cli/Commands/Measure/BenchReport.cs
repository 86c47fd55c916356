using System.Globalization;
using System.Text.Json;
using FimBounds.Engine.Benchmarks;
using FimBounds.Training.Benchmarks;
using Spectre.Console;

namespace FimBounds.Cli.Commands.Measure;

/// <summary>The JSON document and the table of `fimbounds bench`.</summary>
public sealed record BenchReport(
    IReadOnlyList<BenchReport.ModelRow> Models,
    BenchReport.LanczosRow Lanczos,
    int Threads,
    int Rounds,
    long Seed,
    string Inputs,
    double Seconds,
    BenchReport.TrainingRow? Training = null,
    BenchReport.FullSizeRow? FullSize = null)
{
    public sealed record ModelRow(string Spec, int Classes, double ForwardMsPerInput, double ExactMsPerInput, double SrpLoopMsPerInput,
        double ExactOverForward, double SrpLoopOverExact, double BlackboxMedianRelError, double BlackboxCiCoverage, double SrpBlackboxMedianRelError,
        int BlackboxDirections, bool ExactTargetMet, bool SrpSpeedupTargetMet, bool BlackboxErrorTargetMet, bool CoverageTargetMet);

    public sealed record LanczosRow(int Classes, double RelError, double LanczosMs, double ExactMs, int MedianIterations, bool TargetMet);

    /// <summary>The training target's run (absent with --skip-training).</summary>
    public sealed record TrainingRow(string Spec, string Dataset, int Epochs, int TrainImages, int TestImages, int Threads, double TestAccuracy,
        double Seconds, double CpuSeconds, double AccuracyTarget, double SecondsTarget, bool TargetMet);

    /// <summary>A full-size spec end to end (absent with --skip-full-size): bound instantiation and Lanczos measurement.</summary>
    public sealed record FullSizeRow(string Spec, double BoundSeconds, double MeasureSecondsPerInput, double LambdaMax, double Bound,
        double BoundTargetSeconds, bool BoundTargetMet);

    public static FullSizeRow Row(FullSizeBench b) => new(b.Spec, b.BoundSeconds, b.MeasureSecondsPerInput, b.LambdaMax, b.Bound,
        FullSizeBench.BoundTargetSeconds, b.BoundTargetMet);

    public static TrainingRow Row(TrainingBench b) => new(b.Spec, b.Dataset, b.Epochs, b.TrainImages, b.TestImages, b.Threads, b.TestAccuracy,
        b.Seconds, b.CpuSeconds, TrainingBench.AccuracyTarget, TrainingBench.SecondsTarget, b.TargetMet);

    public static ModelRow Row(ModelBench b) => new(b.Spec, b.Classes, b.ForwardMsPerInput, b.ExactMsPerInput, b.SrpLoopMsPerInput, b.ExactOverForward,
        b.SrpLoopOverExact, b.BlackboxMedianRelError, b.BlackboxCiCoverage, b.SrpBlackboxMedianRelError, b.Directions, b.ExactTargetMet,
        b.SrpSpeedupTargetMet, b.BlackboxErrorTargetMet, b.CoverageTargetMet);

    public static LanczosRow Row(LanczosBench b) => new(b.Classes, b.RelError, b.LanczosMs, b.ExactMs, b.MedianIterations, b.TargetMet);

    public string ToJson() => JsonSerializer.Serialize(this, MeasureReport.JsonOptions);

    public void Render(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string header in new[] { "spec", "forward ms/in", "exact ms/in", "exact/forward", "srp loop/exact", "black-box err", "CI coverage", "srp-bb err" })
        {
            table.AddColumn(header == "spec" ? new TableColumn(header) : new TableColumn(header).RightAligned());
        }
        foreach (ModelRow m in Models)
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
            $"Lanczos at K = {Lanczos.Classes}: max relative error {Lanczos.RelError.ToString("E2", CultureInfo.InvariantCulture)} (≤ 1e-3), " +
            $"{F(Lanczos.LanczosMs, "F0")} ms vs exact {F(Lanczos.ExactMs, "F0")} ms ({F(Lanczos.ExactMs / Lanczos.LanczosMs, "F1")}× faster), " +
            $"median {Lanczos.MedianIterations} steps {Verdict(Lanczos.TargetMet)}");
        if (Training is { } t)
        {
            console.WriteLine(
                $"Training {t.Spec} ({t.Epochs} epochs on {t.TrainImages:N0} images of the {t.Dataset}, {t.Threads} threads): test accuracy " +
                $"{P(t.TestAccuracy)} (≥ {P(t.AccuracyTarget)}) in {F(t.Seconds, "F1")} s (< {F(t.SecondsTarget, "F0")} s; {F(t.CpuSeconds, "F1")} s CPU) " +
                Verdict(t.TargetMet));
        }
        if (FullSize is { } full)
        {
            console.WriteLine(
                $"Full size {full.Spec} (random weights and input, float32): bound instantiated in {F(full.BoundSeconds, "F1")} s " +
                $"(≤ {F(full.BoundTargetSeconds, "F0")} s) {Verdict(full.BoundTargetMet)}, Lanczos measurement {F(full.MeasureSecondsPerInput, "F1")} s per input, " +
                $"λ_max {full.LambdaMax.ToString("G4", CultureInfo.InvariantCulture)} ≤ bound {full.Bound.ToString("G4", CultureInfo.InvariantCulture)}");
        }
        console.WriteLine($"{Threads} thread(s), {Rounds} interleaved timing rounds, inputs: {Inputs}; times are medians, ratios medians of per-round ratios.");
    }

    private static string Verdict(bool met) => met ? "ok" : "MISSED";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string P(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "–";
}

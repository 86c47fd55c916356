using FimBounds.Engine.Benchmarks;
using FimBounds.Reports.Json;
using FimBounds.Study.Benchmarks.Peers;
using FimBounds.Training.Benchmarks;

namespace FimBounds.Study.Benchmarks;

/// <summary>The JSON document of `fimbounds bench` (field names are a contract).</summary>
public sealed record BenchReport(
    IReadOnlyList<BenchReport.ModelRow> Models,
    BenchReport.LanczosRow Lanczos,
    int Threads,
    int Rounds,
    long Seed,
    string Inputs,
    double Seconds,
    BenchReport.TrainingRow? Training = null,
    BenchReport.FullSizeRow? FullSize = null,
    IReadOnlyList<PeerRow>? Peers = null,
    IReadOnlyList<CertificationBench>? Certification = null)
{
    public sealed record ModelRow(string Spec, int Classes, double ForwardMsPerInput, double ExactMsPerInput, double SrpLoopMsPerInput,
        double ExactOverForward, double SrpLoopOverExact, double BlackboxMedianRelError, double BlackboxCiCoverage, double SrpBlackboxMedianRelError,
        int BlackboxDirections, bool ExactTargetMet, bool SrpSpeedupTargetMet, bool BlackboxErrorTargetMet, bool CoverageTargetMet);

    public sealed record LanczosRow(int Classes, double RelError, double LanczosMs, double ExactMs, int MedianIterations, bool TargetMet);

    /// <summary>The training target's run (absent with --skip-training).</summary>
    public sealed record TrainingRow(string Spec, string Dataset, int Epochs, int TrainImages, int TestImages, int Threads, double TestAccuracy,
        double Seconds, double CpuSeconds, double AccuracyTarget, double SecondsTarget, bool TargetMet);

    public static TrainingRow Row(TrainingBench b) => new(b.Spec, b.Dataset, b.Epochs, b.TrainImages, b.TestImages, b.Threads, b.TestAccuracy,
        b.Seconds, b.CpuSeconds, TrainingBench.AccuracyTarget, TrainingBench.SecondsTarget, b.TargetMet);

    public static ModelRow Row(ModelBench b) => new(b.Spec, b.Classes, b.ForwardMsPerInput, b.ExactMsPerInput, b.SrpLoopMsPerInput, b.ExactOverForward,
        b.SrpLoopOverExact, b.BlackboxMedianRelError, b.BlackboxCiCoverage, b.SrpBlackboxMedianRelError, b.Directions, b.ExactTargetMet,
        b.SrpSpeedupTargetMet, b.BlackboxErrorTargetMet, b.CoverageTargetMet);

    /// <summary>
    /// A full-size spec end to end (absent with --skip-full-size): bound instantiation (its operator norms on
    /// <c>boundThreads</c> threads; CPU seconds of every thread; and again with the attained norms `measure` reports)
    /// and Lanczos measurement.
    /// </summary>
    public sealed record FullSizeRow(string Spec, double BoundSeconds, double MeasureSecondsPerInput, double LambdaMax, double Bound,
        double BoundTargetSeconds, bool BoundTargetMet, int BoundThreads, double BoundCpuSeconds, double BoundWithAttainedSeconds,
        double BoundWithAttainedCpuSeconds);

    public static FullSizeRow Row(FullSizeBench b) => new(b.Spec, b.BoundSeconds, b.MeasureSecondsPerInput, b.LambdaMax, b.Bound,
        FullSizeBench.BoundTargetSeconds, b.BoundTargetMet, b.BoundThreads, b.BoundCpuSeconds, b.BoundWithAttainedSeconds, b.BoundWithAttainedCpuSeconds);

    public static LanczosRow Row(LanczosBench b) => new(b.Classes, b.RelError, b.LanczosMs, b.ExactMs, b.MedianIterations, b.TargetMet);

    public string ToJson() => JsonPolicy.Serialize(this);
}

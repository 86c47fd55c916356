namespace FimBounds.Engine.Benchmarks;

/// <summary>Settings of the benchmark. Timings are interleaved round by round so that machine load hits every contender alike.</summary>
public sealed record BenchOptions
{
    public int Batch { get; init; } = 64;

    public int Rounds { get; init; } = 5;

    /// <summary>Inputs timed with the SRP-style loop (batch 1, one backward per class) per round.</summary>
    public int SrpInputs { get; init; } = 8;

    /// <summary>Inputs on which the black-box estimators are compared with exact.</summary>
    public int AccuracyInputs { get; init; } = 32;

    public int LanczosClasses { get; init; } = 100;

    public int LanczosInputs { get; init; } = 16;

    public double LanczosTolerance { get; init; } = 1e-4;

    public long Seed { get; init; }
}

/// <summary>One model's benchmark: per-input times, their ratios (medians of per-round ratios) and estimator accuracy.</summary>
public sealed record ModelBench(
    string Spec,
    int Classes,
    double ForwardMsPerInput,
    double ExactMsPerInput,
    double SrpLoopMsPerInput,
    double ExactOverForward,
    double SrpLoopOverExact,
    double BlackboxMedianRelError,
    double BlackboxCiCoverage,
    double SrpBlackboxMedianRelError,
    int Directions)
{
    /// <summary>Target: exact ≤ (K + 2) forward passes per input.</summary>
    public bool ExactTargetMet => ExactOverForward <= Classes + 2;

    /// <summary>Target: batched exact ≥ 3× faster than the SRP-style loop.</summary>
    public bool SrpSpeedupTargetMet => SrpLoopOverExact >= 3;

    /// <summary>Target: black-box median relative error ≤ 15 %.</summary>
    public bool BlackboxErrorTargetMet => BlackboxMedianRelError <= 0.15;

    /// <summary>Target: the bootstrap interval covers exact at ≥ 85 % of inputs.</summary>
    public bool CoverageTargetMet => BlackboxCiCoverage >= 0.85;
}

/// <summary>Lanczos against exact on a many-class model.</summary>
public sealed record LanczosBench(int Classes, double RelError, double LanczosMs, double ExactMs, int MedianIterations)
{
    /// <summary>Target: within 1e-3 relative of exact and faster.</summary>
    public bool TargetMet => RelError <= 1e-3 && LanczosMs < ExactMs;
}

namespace FimBounds.Reports.Model;

/// <summary>
/// How the run was made, so a reader can reproduce it. Holds no timestamps: two runs with the same
/// seed must produce byte-identical report.md and report.json.
/// </summary>
public sealed record RunMetadata
{
    public required string FimBoundsVersion { get; init; }

    public required int Seed { get; init; }

    /// <summary>Test inputs measured per model.</summary>
    public required int Samples { get; init; }

    /// <summary>e.g. "Fashion-MNIST (embedded subset, test split)".</summary>
    public required string Dataset { get; init; }

    /// <summary>Where trained checkpoints are cached (stated so a user can find or clear them).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Intra-op threads the numerics ran with (results can depend on it).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The λ_max estimator, e.g. "exact (K×K eigen-solve)".</summary>
    public string Estimator { get; init; } = "exact";

    public AttackProtocol? Attacks { get; init; }

    /// <summary>Further facts worth stating, one line each, in the order given.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The attacks' settings; ε in pixel space [0, 1]; CwConstant is CW's trade-off constant c.</summary>
public sealed record AttackProtocol(
    string Norm,
    double PgdEpsilon,
    double PgdStepSize,
    int PgdSteps,
    double? CwConstant,
    int? CwSteps,
    double? CwLearningRate,
    string MinimalEpsilonMethod);

using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>Knobs of the estimators. Defaults are the values the tests and the benchmark were tuned with.</summary>
public sealed record FimOptions
{
    public static FimOptions Default { get; } = new();

    /// <summary>
    /// Cap in MB on the memory budget of one chunk of work (activations, autograd graph, Jacobian rows); null
    /// for none. The budget itself follows the memory available (<see cref="MemoryBudget"/>); the batch is
    /// split into chunks that fit, and an input that alone exceeds the budget is an error naming the fix.
    /// </summary>
    public long? MaxMemoryMegabytes { get; init; }

    /// <summary>Upper limit on inputs per chunk, whatever the memory budget allows (64 is a good CPU batch).</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>
    /// Working precision; null keeps the model's own dtype. Black-box methods adapt their finite-difference
    /// step to it (h = ε_mach^⅓: 4.9e-3 in float32, 6.1e-6 in float64), so a float32 model is probed as
    /// it would be served; float64 buys smaller rounding error at several times the cost.
    /// </summary>
    public ScalarType? Precision { get; init; }

    /// <summary>Seed of every random choice the estimators make (start vectors, probes, directions, bootstrap).</summary>
    public long Seed { get; init; }

    /// <summary>Keep the top eigenvector of F(x) (in input space) per input, for reports. Exact, Lanczos and power only.</summary>
    public bool KeepEigenvectors { get; init; }

    /// <summary>Lanczos/power stop when the Ritz residual (Lanczos) or the change of the Rayleigh quotient
    /// (power) falls below this fraction of the estimate.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Iteration cap of Lanczos/power; 0 chooses it (Lanczos: K + 2, since rank F ≤ K − 1; power: 1000).</summary>
    public int MaxIterations { get; init; }

    /// <summary>Rademacher probes per input of the Hutchinson trace estimator.</summary>
    public int HutchinsonProbes { get; init; } = 64;

    /// <summary>Random unit directions m of the black-box sketch; 0 chooses 20·K.</summary>
    public int Directions { get; init; }

    /// <summary>Central-difference step h; 0 chooses ε_mach^⅓ of the dtype (≈ 6e-6 in float64).</summary>
    public double FiniteDifferenceStep { get; init; }

    /// <summary>Bootstrap resamples over directions for the black-box confidence interval.</summary>
    public int BootstrapResamples { get; init; } = 400;

    /// <summary>Two-sided confidence level of the black-box interval.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>SRP white-box: random probes of the max Rayleigh quotient (the reference uses 100).</summary>
    public int SrpProbes { get; init; } = 100;

    /// <summary>SRP black-box: random directions (the reference protocol uses 100).</summary>
    public int SrpDirections { get; init; } = 100;

    /// <summary>SRP black-box: step h (the reference uses 1e-3).</summary>
    public double SrpStep { get; init; } = 1e-3;
}

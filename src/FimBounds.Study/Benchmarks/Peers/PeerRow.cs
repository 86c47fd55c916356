namespace FimBounds.Study.Benchmarks.Peers;

/// <summary>
/// One PyTorch peer on one spec in `bench --json`'s <c>peers</c> (field names are a contract). Times are
/// medians over the interleaved rounds; <see cref="Ratio"/> is the median of the per-round ratios peer ÷
/// FimBounds exact (above 1: FimBounds is faster). Without PyTorch, or when the peer failed, the numbers are
/// null and <see cref="Status"/> says why.
/// </summary>
public sealed record PeerRow(
    string Name,
    string Spec,
    string Status,
    double MsPerInput,
    double Ratio,
    PeerRow.Agreement? LambdaMaxAgreement,
    double FimBoundsMsPerInput,
    int Inputs,
    double Target,
    bool TargetMet,
    string? TorchVersion,
    int Threads)
{
    public const string BatchedName = "pytorch-batched";

    public const string LoopName = "pytorch-reference-loop";

    /// <summary>
    /// λ_max of the peer against FimBounds' exact method on the same inputs (both float32): the largest
    /// relative difference over <see cref="Compared"/> inputs; <see cref="TiesExcluded"/> inputs whose
    /// max-pooling windows hold a tie were left out (the input gradient is not defined there);
    /// <see cref="MaxRelativeDifferenceWithTies"/> is the largest difference over all inputs, for information.
    /// </summary>
    public sealed record Agreement(double MaxRelativeDifference, double Tolerance, int Compared, int TiesExcluded, bool Agrees,
        double MaxRelativeDifferenceWithTies);

    /// <summary>A row without measurements: PyTorch is not installed, the spec has no twin, or the peer failed.</summary>
    public static PeerRow Unmeasured(string name, string spec, string status, double target, string? torchVersion, int threads) =>
        new(name, spec, status, double.NaN, double.NaN, null, double.NaN, 0, target, false, torchVersion, threads);
}

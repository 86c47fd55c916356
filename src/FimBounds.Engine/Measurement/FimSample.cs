namespace FimBounds.Engine.Measurement;

/// <summary>Whether an input produced usable numbers. Non-finite inputs are reported, never averaged in.</summary>
public enum SampleStatus
{
    Ok,
    NonFiniteLogits,
    NonFiniteGradients,
    NonFiniteResult,
}

/// <summary>
/// The measurement at one input. <see cref="LambdaMax"/> is the method's estimate of λ_max(F(x)); it is
/// null for Hutchinson, which estimates the trace and brackets λ_max by [<see cref="CiLow"/>, <see cref="CiHigh"/>]
/// = [tr/(K−1), tr]. For the black-box sketch the interval is the bootstrap confidence interval.
/// </summary>
public sealed record FimSample
{
    public required int Index { get; init; }

    public SampleStatus Status { get; init; } = SampleStatus.Ok;

    /// <summary>What went wrong, for non-finite inputs.</summary>
    public string? Problem { get; init; }

    public double? LambdaMax { get; init; }

    /// <summary>tr F(x) (exact for the exact method, an unbiased estimate for Hutchinson).</summary>
    public double? Trace { get; init; }

    /// <summary>Standard error of the Hutchinson trace estimate.</summary>
    public double? TraceStandardError { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    /// <summary>max_k p_k(x).</summary>
    public double PMax { get; init; } = double.NaN;

    public int PredictedClass { get; init; } = -1;

    /// <summary>p(·|x), the model's class probabilities (from log_softmax, in float64).</summary>
    public double[]? Probabilities { get; init; }

    /// <summary>c_p = min(½, 2(1 − p_max)) ≥ λ_max(A(p)): the confidence-aware softmax factor at this input.</summary>
    public double ConfidenceFactor { get; init; } = 0.5;

    /// <summary>λ_max(A(p)) of the softmax Jacobian A(p) = diag(p) − ppᵀ, ≤ c_p = min(½, 2(1 − p_max)).</summary>
    public double SoftmaxCurvature { get; init; } = double.NaN;

    /// <summary>
    /// ‖PJ(x)‖₂, the logit Jacobian without the all-ones direction softmax ignores (P = I − 11ᵀ/K; exact
    /// method only). ≤ ‖J(x)‖₂, so every Lipschitz bound on the logits bounds it too.
    /// </summary>
    public double? JacobianNorm { get; init; }

    /// <summary>The local bound λ_max(A(p))·‖PJ(x)‖₂² ≥ λ_max(F(x)) (when the Jacobian norm is known).</summary>
    public double? LocalBound { get; init; }

    /// <summary>Operator applications of Lanczos/power iteration until convergence.</summary>
    public int? Iterations { get; init; }

    /// <summary>Unit top eigenvector of F(x) in input space (flattened), when requested.</summary>
    public float[]? Eigenvector { get; init; }

    public bool IsFinite => Status == SampleStatus.Ok;

    /// <summary>
    /// The value a bound must stay above: the estimate itself for point estimators, the lower end of the
    /// interval for the black-box sketch (its noise must not fail a sound bound) and tr/(K−1) for Hutchinson.
    /// </summary>
    public double? Evidence => LambdaMax is { } lambda ? (CiLow is { } low ? Math.Min(lambda, low) : lambda) : CiLow;
}

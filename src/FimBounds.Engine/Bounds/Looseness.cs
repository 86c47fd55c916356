using FimBounds.Engine.Measurement;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Where the gap between the global bound ½·L² and a measured λ_max(F(x)) comes from, as factors that
/// multiply to the whole (each ≥ 1 up to rounding):
/// <list type="bullet">
/// <item><see cref="Softmax"/> = ½ / λ_max(A(p)): the global softmax constant against the softmax
/// curvature the input actually has;</item>
/// <item><see cref="Lipschitz"/> = L² / ‖PJ(x)‖²: the architecture's Lipschitz bound against the logit
/// Jacobian at x (P removes the all-ones direction softmax ignores). It splits further into
/// <see cref="Certificates"/> = (L / L_attained)², the slack of the certified layer norms over norms the
/// weights are known to reach, and <see cref="Composition"/>, the rest: a product of per-layer norms
/// against the norm of the product of the layers' Jacobians at x (both null when the attained bound is 0);</item>
/// <item><see cref="Alignment"/> = λ_max(A)·‖PJ‖² / λ_max(F): the top singular direction of PJ against
/// the top eigendirection of A(p) (F = JᵀP A P J).</item>
/// </list>
/// Softmax · Lipschitz · Alignment = ½L² / λ_max(F) = the tightness at that input.
/// </summary>
public sealed record Looseness(
    int Index,
    double Measured,
    double Tightness,
    double Softmax,
    double ConfidenceAwareSoftmax,
    double Lipschitz,
    double? Certificates,
    double? Composition,
    double Alignment)
{
    /// <summary>
    /// The split at one exact-method sample (it needs λ_max(A(p)) and ‖PJ(x)‖, which only the exact method
    /// records); null when the sample lacks them or measured 0.
    /// </summary>
    public static Looseness? At(InstantiatedBound bound, FimSample sample)
    {
        if (!sample.IsFinite || sample.LambdaMax is not { } lambda || lambda <= 0
            || sample.JacobianNorm is not { } jacobian || jacobian <= 0 || !(sample.SoftmaxCurvature > 0))
        {
            return null;
        }
        double curvature = sample.SoftmaxCurvature;
        double lipschitzSquared = bound.Lipschitz * bound.Lipschitz;
        double attainedSquared = 2 * bound.GlobalAtAttainedValues;   // ½·L_attained²
        double lipschitzGap = lipschitzSquared / (jacobian * jacobian);
        double? certificates = attainedSquared > 0 ? lipschitzSquared / attainedSquared : null;
        return new Looseness(
            sample.Index,
            lambda,
            bound.Global / lambda,
            0.5 / curvature,
            Math.Min(0.5, sample.ConfidenceFactor) / curvature,
            lipschitzGap,
            certificates,
            lipschitzGap / certificates,
            curvature * jacobian * jacobian / lambda);
    }

    /// <summary>The split at the input with the largest measured λ_max (the one the tightness is reported at).</summary>
    public static Looseness? AtLargest(InstantiatedBound bound, FimMeasurement measurement) =>
        measurement.Samples
            .Where(s => s.IsFinite && s.LambdaMax is not null)
            .OrderByDescending(s => s.LambdaMax!.Value)
            .ThenBy(s => s.Index)
            .Select(s => At(bound, s))
            .FirstOrDefault(l => l is not null);

    /// <summary>The primitive layers' factors with their certificate gaps (certified / attained), the largest share of the bound first.</summary>
    public static IReadOnlyList<LayerGap> LayerGaps(InstantiatedBound bound) =>
        bound.PerLayer
            .Where(f => f.Kind is not ("sequence" or "residual" or "denseblock") && f.Value > 0)
            .Select(f => new LayerGap(f.Path, f.Kind, f.Value, f.Attained, f.Attained > 0 ? f.Value / f.Attained : null,
                2 * Math.Log10(f.Value)))
            .OrderByDescending(g => g.Log10ShareOfBound)
            .ThenBy(g => g.Path, StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// One layer's part in the bound: its certified factor, the value its weights are known to reach
/// (<see cref="CertificateGap"/> = Factor/Attained; null when nothing positive is known to be attained), and log₁₀ of its factor squared — the decades it
/// contributes to ½·L² (negative for contracting layers such as pools).
/// </summary>
public sealed record LayerGap(string Path, string Kind, double Factor, double Attained, double? CertificateGap, double Log10ShareOfBound);

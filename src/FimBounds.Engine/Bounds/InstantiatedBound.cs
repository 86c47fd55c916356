using FimBounds.Engine.Measurement;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// A bound on λ_max(F(x)) evaluated with a model's real weights: λ_max(F(x)) ≤ c_p·L² with L the
/// Lipschitz constant of the logit map, c_p = ½ globally and min(½, 2(1 − p_max)) at an input.
/// <see cref="Global"/> = ½L². Assumptions measured on data make the bound valid at those inputs.
/// </summary>
public sealed record InstantiatedBound(
    string Architecture,
    double Lipschitz,
    IReadOnlyList<LayerFactor> PerLayer,
    IReadOnlyList<MeasuredAssumption> Assumptions,
    int CalibrationInputs,
    double Seconds)
{
    /// <summary>½·L²: the bound for every input (where the assumptions hold).</summary>
    public double Global => 0.5 * Lipschitz * Lipschitz;

    /// <summary>c_p·L² at an input with the given confidence factor c_p = min(½, 2(1 − p_max)).</summary>
    public double ConfidenceAware(double confidenceFactor) => Math.Min(0.5, confidenceFactor) * Lipschitz * Lipschitz;

    /// <summary>Checks every finite sample: its evidence (see <see cref="FimSample.Evidence"/>) against the global, the confidence-aware and the local bound.</summary>
    public BoundCheck Check(FimMeasurement measurement)
    {
        var violations = new List<BoundViolation>();
        foreach (FimSample sample in measurement.Samples.Where(s => s.IsFinite))
        {
            if (sample.Evidence is not { } evidence)
            {
                continue;
            }
            if (evidence > Global)
            {
                violations.Add(new BoundViolation(sample.Index, "global", evidence, Global));
            }
            double confidenceAware = ConfidenceAware(sample.ConfidenceFactor);
            if (evidence > confidenceAware)
            {
                violations.Add(new BoundViolation(sample.Index, "confidence-aware", evidence, confidenceAware));
            }
            if (sample.LocalBound is { } local && evidence > local)
            {
                violations.Add(new BoundViolation(sample.Index, "local", evidence, local));
            }
        }
        double maxEvidence = measurement.Samples.Where(s => s.IsFinite && s.Evidence is not null).Select(s => s.Evidence!.Value).DefaultIfEmpty(0).Max();
        return new BoundCheck(violations.Count == 0, violations, maxEvidence > 0 ? Global / maxEvidence : double.PositiveInfinity);
    }
}

/// <summary>One input at which a measured value exceeded a bound: a bug in a rule or in its instantiation.</summary>
public sealed record BoundViolation(int Index, string Bound, double Measured, double BoundValue);

/// <summary>The outcome of checking a bound against a measurement; <see cref="Slack"/> = global bound / max measured.</summary>
public sealed record BoundCheck(bool Holds, IReadOnlyList<BoundViolation> Violations, double Slack);

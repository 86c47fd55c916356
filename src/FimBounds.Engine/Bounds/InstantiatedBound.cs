using FimBounds.Core.Bounds;
using FimBounds.Engine.Measurement;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// The architecture's symbolic bound λ_max(F(x)) ≤ ½·L² (from the shared rules, <see cref="BoundDeriver"/>)
/// evaluated with a model's real weights. Values come from outward-rounded interval evaluation, so
/// <see cref="Global"/> and <see cref="Lipschitz"/> are rigorous upper ends. At an input, the
/// confidence-aware bound replaces ½ by c_p = min(½, 2(1 − p_max)). Assumptions measured on data make
/// the bound valid at those inputs (<see cref="Scope"/>).
/// </summary>
public sealed record InstantiatedBound(
    string Architecture,
    ArchitectureBound Symbolic,
    double Lipschitz,
    double Global,
    double GlobalAtAttainedValues,
    IReadOnlyList<NumericFactor> PerLayer,
    IReadOnlyList<QuantityValue> Quantities,
    IReadOnlyList<MeasuredAssumption> Assumptions,
    int CalibrationInputs,
    double Seconds)
{
    /// <summary>Where the bound holds: <see cref="GlobalScope"/> (every input) or <see cref="CalibrationScope"/>
    /// (the calibration inputs, when any value it uses was measured on them).</summary>
    public string Scope => Assumptions.Any(a => a.FromData) ? CalibrationScope : GlobalScope;

    public const string GlobalScope = "global";

    public const string CalibrationScope = "calibration-inputs";

    /// <summary>c_p·L² at an input with confidence factor c_p = min(½, 2(1 − p_max)), rounded up.</summary>
    public double ConfidenceAware(double confidenceFactor) =>
        Math.Min(Global, RoundingMargin.Up(Math.Min(0.5, confidenceFactor) * Lipschitz * Lipschitz));

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

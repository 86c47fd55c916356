using FimBounds.Core.Statistics;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Reports.Json;

namespace FimBounds.Study.Measurement;

/// <summary>
/// The JSON document of `fimbounds measure`: per-input measurements, their summary, the instantiated bound
/// with its per-layer factors, assumptions and verdict (<see cref="JsonPolicy"/>: non-finite numbers are null).
/// </summary>
public sealed record MeasureReport(
    string Spec,
    string Method,
    string MethodDescription,
    bool BiasedLow,
    long Seed,
    string? Checkpoint,
    string Inputs,
    string Precision,
    int Classes,
    long InputDimension,
    IReadOnlyList<MeasureReport.SampleRow> Samples,
    MeasureReport.SummaryRow Summary,
    MeasureReport.BoundRow Bound,
    IReadOnlyList<MeasureReport.LayerRow> PerLayer,
    double Seconds,
    double MeasureSeconds,
    double BoundSeconds)
{
    public sealed record SampleRow(int Index, string Status, string? Problem, double? LambdaMax, double? Trace, double? PMax, int PredictedClass,
        double? CiLow, double? CiHigh, double? ConfidenceAwareBound, double? LocalBound, int? Iterations);

    public sealed record SummaryRow(string Of, int Count, int NonFinite, double? Mean, double? Median, double? P95, double? Max);

    public sealed record ViolationRow(int Index, string Bound, double Measured, double BoundValue);

    public sealed record AssumptionRow(string Quantity, string Layer, double Value, string Source);

    public sealed record QuantityRow(string Symbol, string Quantity, string Layer, int? Head, double Value, double Attained);

    public sealed record BoundRow(double Global, bool Holds, double? Slack, double Lipschitz, string Expression, double GlobalAtAttainedValues,
        int CalibrationInputs, IReadOnlyList<ViolationRow> Violations, IReadOnlyList<AssumptionRow> Assumptions, IReadOnlyList<QuantityRow> Quantities);

    public sealed record LayerRow(string Name, string Kind, int Depth, double Factor, double Attained, string Expression, string Rule, string? FoldedWith);

    public static MeasureReport Create(string spec, MeasureSettings settings, string inputs, FimMeasurement measurement, InstantiatedBound bound,
        BoundCheck check, double seconds)
    {
        FimSummary summary = measurement.Summary;
        return new MeasureReport(
            spec,
            measurement.Method.CliName(),
            measurement.Method.Describe(),
            measurement.Method.IsBiasedLow(),
            settings.Seed,
            settings.Checkpoint,
            inputs,
            settings.Precision,
            measurement.Classes,
            measurement.InputDimension,
            measurement.Samples.Select(s => new SampleRow(
                s.Index, s.Status.ToString(), s.Problem, Finite(s.LambdaMax), Finite(s.Trace), Finite(s.PMax), s.PredictedClass,
                Finite(s.CiLow), Finite(s.CiHigh), s.IsFinite ? Finite(bound.ConfidenceAware(s.ConfidenceFactor)) : null, Finite(s.LocalBound),
                s.Iterations)).ToList(),
            new SummaryRow(measurement.SummaryOf, summary.Count, summary.NonFinite, Finite(summary.Mean), Finite(summary.Median), Finite(summary.P95),
                Finite(summary.Max)),
            new BoundRow(bound.Global, check.Holds, Finite(check.Slack), bound.Lipschitz, bound.Symbolic.FimBound.ToText(), bound.GlobalAtAttainedValues,
                bound.CalibrationInputs,
                check.Violations.Select(v => new ViolationRow(v.Index, v.Bound, v.Measured, v.BoundValue)).ToList(),
                bound.Assumptions.Select(a => new AssumptionRow(a.Quantity, a.LayerPath, a.Value, a.Source)).ToList(),
                bound.Quantities.Select(q => new QuantityRow(q.Symbol, q.Quantity, q.LayerPath, q.Head, q.Value, q.Attained)).ToList()),
            bound.PerLayer.Select(f => new LayerRow(f.Path.Length == 0 ? "(network)" : f.Path, f.Kind, f.Depth, f.Value, f.Attained, f.Expression, f.Rule,
                f.FoldedWith)).ToList(),
            seconds,
            measurement.Seconds,
            bound.Seconds);
    }

    public string ToJson() => JsonPolicy.Serialize(this);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

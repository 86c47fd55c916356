using FimBounds.Core.Errors;
using FimBounds.Reports.Model;

namespace FimBounds.Reports.Ranking;

/// <summary>
/// Rejects measurements no report can honestly show (NaN λ, a non-positive bound, an accuracy outside
/// [0, 1], two rows for one model) with a message naming the model, the field and the fix.
/// </summary>
internal static class MeasurementValidation
{
    public static void Validate(IReadOnlyList<ModelMeasurement> models)
    {
        if (models.Count == 0)
        {
            throw new InputException("The report has no models. Measure at least one model (e.g. --specs vgg-mini) before writing a report.");
        }

        foreach (var duplicate in models.GroupBy(m => (m.Spec, m.Variant)).Where(g => g.Count() > 1))
        {
            throw new InputException(
                $"Model '{duplicate.Key.Spec}' ({duplicate.Key.Variant.Key()}) appears {duplicate.Count()} times. " +
                "Give each spec and variant once.");
        }

        foreach (ModelMeasurement m in models)
        {
            Validate(m);
        }
    }

    private static void Validate(ModelMeasurement m)
    {
        string who = $"Model '{m.Spec}' ({m.Variant.Key()})";
        const string rerun = "The measurement is broken: rerun it (with --verbose) and report the problem if it persists.";

        if (string.IsNullOrWhiteSpace(m.Spec))
        {
            throw new InputException("A model has an empty spec name. Use the zoo's spec names (e.g. vgg-mini).");
        }
        if (m.TheoreticalRank < 1)
        {
            throw new InputException($"{who}: theoretical rank {m.TheoreticalRank} is not a rank. Ranks start at 1 (most robust).");
        }
        if (!(m.BoundGlobal > 0) || double.IsInfinity(m.BoundGlobal))
        {
            throw new InputException($"{who}: the global bound is {Describe(m.BoundGlobal)}, not a positive finite number. {rerun}");
        }
        if (m.LambdaMax.Count == 0)
        {
            throw new InputException($"{who}: no λ_max was measured. Measure at least one input (--samples N with N ≥ 1).");
        }
        for (int i = 0; i < m.LambdaMax.Count; i++)
        {
            double v = m.LambdaMax[i];
            if (!(v >= 0) || double.IsInfinity(v))
            {
                throw new InputException($"{who}: λ_max of input {i} is {Describe(v)}; it must be finite and ≥ 0. {rerun}");
            }
        }
        RequireFraction(who, "clean accuracy", m.CleanAccuracy);
        RequireFraction(who, "PGD robust accuracy", m.RobustAccuracyPgd);
        if (m.RobustAccuracyCw is { } cw)
        {
            RequireFraction(who, "CW robust accuracy", cw);
        }
        foreach (LayerBoundFactor layer in m.Layers)
        {
            if (!(layer.BoundFactor > 0) || double.IsInfinity(layer.BoundFactor))
            {
                throw new InputException($"{who}: the bound factor of layer '{layer.Path}' is {Describe(layer.BoundFactor)}; it must be positive and finite. {rerun}");
            }
            if (layer.AttainedFactor is { } measured && (!(measured >= 0) || double.IsInfinity(measured)))
            {
                throw new InputException($"{who}: the measured factor of layer '{layer.Path}' is {Describe(measured)}; it must be finite and ≥ 0. {rerun}");
            }
        }
        for (int i = 0; i < m.Inputs.Count; i++)
        {
            InputSensitivity pair = m.Inputs[i];
            if (!(pair.LambdaMax >= 0) || double.IsInfinity(pair.LambdaMax)
                || pair.MinimalEpsilon is { } e && (double.IsNaN(e) || e < 0))
            {
                throw new InputException(
                    $"{who}: input pair {i} is (λ_max {Describe(pair.LambdaMax)}, ε {Describe(pair.MinimalEpsilon)}); λ_max must be finite and ≥ 0, " +
                    $"ε ≥ 0 or +∞/null when no adversarial example was found. {rerun}");
            }
        }
    }

    private static void RequireFraction(string who, string what, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new InputException($"{who}: {what} is {Describe(value)}; accuracies are fractions in [0, 1] (0.875, not 87.5).");
        }
    }

    private static string Describe(double? value) =>
        value is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null";
}

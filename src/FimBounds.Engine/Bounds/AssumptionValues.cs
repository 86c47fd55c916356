using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Values of the stated assumptions (LayerNorm variance floors, attention input radii) and where each
/// came from: measured on calibration inputs, derived from weights, or the worst case. Every value
/// handed out is recorded, so the instantiated bound lists exactly the assumptions it used.
/// </summary>
public sealed class AssumptionValues
{
    private readonly ArchitectureDescription _description;
    private readonly WeightQuantities _weights;
    private readonly CalibrationStatistics _calibration;
    private readonly Dictionary<(string, string), MeasuredAssumption> _used = new();

    public AssumptionValues(ArchitectureDescription description, WeightQuantities weights, CalibrationStatistics calibration)
    {
        _description = description;
        _weights = weights;
        _calibration = calibration;
    }

    public IReadOnlyList<MeasuredAssumption> Used => _used.Values.ToList();

    /// <summary>v_min entering the LayerNorm at <paramref name="path"/>: measured, else 0 (the worst case, factor max|γ|/√ε).</summary>
    public double VarianceFloor(string path)
    {
        double? measured = _calibration.VarianceFloor(path);
        return Record("TokenVarianceFloor", path, measured ?? 0.0,
            measured is null ? "worst case (no calibration data reached this LayerNorm)" : $"measured minimum over {_calibration.Inputs} inputs");
    }

    /// <summary>
    /// R bounding every token norm entering the attention at <paramref name="path"/> (the rules ask for it
    /// only where no LayerNorm precedes the attention): the smaller of the measured maximum and, when a
    /// LayerNorm feeds the attention after all, max|γ|·√D + ‖β‖ (after LayerNorm every token is γ⊙ẑ + β with
    /// ‖ẑ‖ &lt; √D) — the latter holds for every input.
    /// </summary>
    public double InputRadius(string path)
    {
        double? measured = _calibration.MaxTokenNorm(path);
        double? derived = null;
        if (PrecedingLayerNorm(path) is { } ln)
        {
            derived = RoundingMargin.Up(_weights.LayerNormGain(ln.Path) * Math.Sqrt(ln.Features) + _weights.LayerNormShiftNorm(ln.Path));
        }
        if (measured is null && derived is null)
        {
            throw new InputException(
                $"the attention layer '{path}' is not fed by a LayerNorm, so its input radius R must be measured: pass calibration inputs.");
        }
        double value = Math.Min(measured ?? double.PositiveInfinity, derived ?? double.PositiveInfinity);
        string source = measured is not null && (derived is null || measured <= derived)
            ? $"measured maximum over {_calibration.Inputs} inputs" + (derived is null ? string.Empty : $" (weights allow up to {derived:G4})")
            : $"derived from the preceding LayerNorm's weights: max|γ|√D + ‖β‖";
        return Record("InputRadius", path, value, source);
    }

    private LayerNorm? PrecedingLayerNorm(string attentionPath)
    {
        foreach (Sequence sequence in _description.AllLayers().OfType<Sequence>())
        {
            for (int i = 1; i < sequence.Layers.Count; i++)
            {
                if (sequence.Layers[i].Path == attentionPath && sequence.Layers[i] is MultiHeadSelfAttention && sequence.Layers[i - 1] is LayerNorm ln)
                {
                    return ln;
                }
            }
        }
        return null;
    }

    private double Record(string quantity, string path, double value, string source)
    {
        _used[(quantity, path)] = new MeasuredAssumption(quantity, path, value, source);
        return value;
    }
}

using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
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
            measured is null ? "worst case (no calibration data reached this LayerNorm)" : $"measured minimum over {_calibration.Inputs} inputs",
            fromData: measured is not null);
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
        bool fromData = measured is not null && (derived is null || measured <= derived);
        string source = fromData
            ? $"measured maximum over {_calibration.Inputs} inputs" + (derived is null ? string.Empty : $" (weights allow up to {derived:G4})")
            : $"derived from the preceding LayerNorm's weights: max|γ|√D + ‖β‖";
        return Record("InputRadius", path, value, source, fromData);
    }

    /// <summary>ρ_P = ‖P_h‖₂/√n of head <paramref name="head"/> of the attention named <paramref name="symbolPath"/> (1: every input).</summary>
    public double AttentionMatrixRatio(string symbolPath, int head)
    {
        (MultiHeadSelfAttention mha, AttentionCalibration? measured) = CalibratedAttention(symbolPath);
        double value = measured is null ? 1.0 : Ratio(measured.MatrixNorm[head], Math.Sqrt(mha.Input[0]));
        return Record("AttentionMatrixRatio", $"{symbolPath}[{head}]", value, AttentionSource(measured, "‖P_h‖₂ / √n"), measured is not null);
    }

    /// <summary>ρ_X = ‖X‖₂/(√n·√D) of the normalised tokens entering the attention named <paramref name="symbolPath"/> (1: every input).</summary>
    public double TokenMatrixRatio(string symbolPath)
    {
        (MultiHeadSelfAttention mha, AttentionCalibration? measured) = CalibratedAttention(symbolPath);
        double value = measured is null ? 1.0 : Ratio(measured.TokenMatrixNorm, WorstTokenMatrixNorm(mha));
        return Record("TokenMatrixRatio", symbolPath, value, AttentionSource(measured, "‖X‖₂ / (√n·√D)"), measured is not null);
    }

    /// <summary>
    /// ρ_V = m_h/(½·‖X‖₂·σ(W_V,h)) of head <paramref name="head"/>, with ‖X‖₂ the value <see cref="TokenMatrixRatio"/>
    /// stands for: ρ_V·σ(W_V,h)·ρ_X·√n·√D/2 is then the measured m_h, whatever certified σ(W_V,h) is used (1: every input).
    /// </summary>
    public double AttentionValueSpreadRatio(string symbolPath, int head)
    {
        (MultiHeadSelfAttention mha, AttentionCalibration? measured) = CalibratedAttention(symbolPath);
        double value = measured is null
            ? 1.0
            : Ratio(measured.ValueSpread[head], 0.5 * TokenMatrixRatio(symbolPath) * WorstTokenMatrixNorm(mha) * _weights.Attention(symbolPath).Value[head]);
        return Record("AttentionValueSpreadRatio", $"{symbolPath}[{head}]", value, AttentionSource(measured, "maxᵢ‖A(pᵢ)XW_Vᵀ‖₂ / (½‖X‖₂σ_V)"), measured is not null);
    }

    /// <summary>
    /// The attention layer a symbol path names and its calibration maxima — only where a LayerNorm is folded
    /// into it, the case the rule's radius √D covers; elsewhere the ratios stay at their worst case 1.
    /// </summary>
    private (MultiHeadSelfAttention Layer, AttentionCalibration? Measured) CalibratedAttention(string symbolPath)
    {
        LinearFold? fold = _weights.FoldByComposite(symbolPath);
        if (fold?.Map is MultiHeadSelfAttention folded && fold.Input is LayerNorm)
        {
            return (folded, _calibration.Attention(folded.Path));
        }
        return (_weights.LayerAt(symbolPath) as MultiHeadSelfAttention
            ?? throw new InputException($"layer '{symbolPath}' is not a multi-head self-attention layer."), null);
    }

    /// <summary>√n·√D: the Frobenius norm of n normalised tokens of norm √D, above every ‖X‖₂.</summary>
    private static double WorstTokenMatrixNorm(MultiHeadSelfAttention mha) => Math.Sqrt(mha.Input[0]) * Math.Sqrt(mha.Dim);

    /// <summary>
    /// measured/worst, enlarged by <see cref="CalibrationMargin"/> (the calibration pass runs at the model's
    /// precision, the measurement may not) and capped at 1, which holds for every input anyway.
    /// </summary>
    private static double Ratio(double measured, double worst) => Math.Min(1.0, measured * (1 + CalibrationMargin) / worst);

    /// <summary>Relative margin on values measured on calibration inputs: float32 activations against float64 ones.</summary>
    private const double CalibrationMargin = 1e-5;

    private string AttentionSource(AttentionCalibration? measured, string what) => measured is null
        ? $"worst case 1 of {what} (no calibration data, or no LayerNorm folded into this attention)"
        : $"{what}, maximum over {_calibration.Inputs} calibration inputs";

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

    private double Record(string quantity, string path, double value, string source, bool fromData)
    {
        _used[(quantity, path)] = new MeasuredAssumption(quantity, path, value, source, fromData);
        return value;
    }
}

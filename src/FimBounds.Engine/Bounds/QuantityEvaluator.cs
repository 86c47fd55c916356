using FimBounds.Core.Bounds;
using FimBounds.Core.Errors;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Gives every symbol of a symbolic bound its value from the real weights (and, for stated assumptions,
/// from data): the contract of <see cref="Quantity"/>. Two substitutions keep the symbolic forms sound
/// and make them tighter:
/// - a convolution's σ is the σ of its BN-folded kernel and that BatchNorm's β is 1;
/// - when a query bias shifts attention scores, σ(W_QW_Kᵀ) is σ(M̃) ≥ σ(M) and R is √(R² + 1) ≥ R (see
///   <see cref="AttentionNorms"/>); the bound is increasing in both, so the substitution is sound.
/// </summary>
public sealed class QuantityEvaluator
{
    private readonly WeightQuantities _weights;
    private readonly AssumptionValues _assumptions;

    public QuantityEvaluator(WeightQuantities weights, AssumptionValues assumptions)
    {
        _weights = weights;
        _assumptions = assumptions;
    }

    public double Evaluate(SymbolMeaning meaning) => meaning.Quantity switch
    {
        Quantity.OperatorNorm => _weights.OperatorNorm(meaning.LayerPath).Upper,
        Quantity.BatchNormScale => _weights.BatchNormScale(meaning.LayerPath),
        Quantity.LayerNormGain => _weights.LayerNormGain(meaning.LayerPath),
        Quantity.LayerNormShiftNorm => _weights.LayerNormShiftNorm(meaning.LayerPath),
        Quantity.TokenVarianceFloor => _assumptions.VarianceFloor(meaning.LayerPath),
        Quantity.AttentionValueNorm => _weights.Attention(meaning.LayerPath).Value[Head(meaning)],
        Quantity.AttentionQueryKeyNorm => _weights.Attention(meaning.LayerPath).QueryKey[Head(meaning)],
        Quantity.AttentionOutputNorm => _weights.Attention(meaning.LayerPath).Output,
        Quantity.InputRadius => InputRadius(meaning.LayerPath),
        _ => throw new InputException($"the engine has no evaluation for quantity {meaning.Quantity} (layer '{meaning.LayerPath}')."),
    };

    private double InputRadius(string attentionPath)
    {
        double r = _assumptions.InputRadius(attentionPath);
        return _weights.Attention(attentionPath).QueryBiasMatters ? Math.Sqrt(r * r + 1) : r;
    }

    private static int Head(SymbolMeaning meaning) =>
        meaning.Head ?? throw new InputException($"{meaning.Quantity} of '{meaning.LayerPath}' needs a head index.");
}

using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;
using FimBounds.Core.Errors;
using FimBounds.Engine.Norms;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Gives every symbol of a symbolic bound its value from the real weights (and, for stated assumptions,
/// from data): the contract of <see cref="Quantity"/>. Each value is an interval [attained, certified]:
/// the upper end is a rigorous upper bound of the quantity (what the bound uses), the lower end a value
/// the quantity is known to reach where one is computed (operator norms), else the same point.
/// A convolution's σ is the σ of its BN-folded kernel and that BatchNorm's β is 1: the pair is the
/// affine map x ↦ diag(s)Wx + …, whose norm σ(diag(s)W) ≤ σ(W)·max|s|, so this is tighter and still sound.
/// </summary>
public sealed class QuantityEvaluator
{
    private readonly WeightQuantities _weights;
    private readonly AssumptionValues _assumptions;
    private readonly ConcatenationRatios? _concatenations;

    /// <param name="concatenations">ρ_C of the maps after dense concatenations; without it every ρ_C is 1, its worst case.</param>
    public QuantityEvaluator(WeightQuantities weights, AssumptionValues assumptions, ConcatenationRatios? concatenations = null)
    {
        _weights = weights;
        _assumptions = assumptions;
        _concatenations = concatenations;
    }

    /// <summary>The certified (upper) value of a quantity.</summary>
    public double Evaluate(SymbolMeaning meaning) => EvaluateInterval(meaning).Hi;

    /// <summary>[attained, certified] for a quantity (a point where nothing tighter is known).</summary>
    public Interval EvaluateInterval(SymbolMeaning meaning)
    {
        switch (meaning.Quantity)
        {
            case Quantity.OperatorNorm:
            {
                OperatorNorm norm = _weights.OperatorNorm(meaning.LayerPath);
                return new Interval(Math.Min(norm.Lower, norm.Upper), norm.Upper);
            }
            case Quantity.BatchNormScale:
                return Interval.Point(_weights.BatchNormScale(meaning.LayerPath));
            case Quantity.LayerNormGain:
                return Interval.Point(_weights.LayerNormGain(meaning.LayerPath));
            case Quantity.LayerNormShiftNorm:
                return Interval.Point(_weights.LayerNormShiftNorm(meaning.LayerPath));
            case Quantity.TokenVarianceFloor:
                return Interval.Point(_assumptions.VarianceFloor(meaning.LayerPath));
            case Quantity.AttentionValueNorm:
                return Interval.Point(_weights.Attention(meaning.LayerPath).Value[Head(meaning)]);
            case Quantity.AttentionQueryKeyNorm:
                return Interval.Point(_weights.Attention(meaning.LayerPath).QueryKey[Head(meaning)]);
            case Quantity.AttentionQueryBiasKeyNorm:
                return Interval.Point(_weights.Attention(meaning.LayerPath).QueryBiasKey[Head(meaning)]);
            case Quantity.AttentionOutputNorm:
                return Interval.Point(_weights.Attention(meaning.LayerPath).Output);
            case Quantity.InputRadius:
                return Interval.Point(_assumptions.InputRadius(meaning.LayerPath));
            case Quantity.AttentionMatrixRatio:
                return Interval.Point(_assumptions.AttentionMatrixRatio(meaning.LayerPath, Head(meaning)));
            case Quantity.TokenMatrixRatio:
                return Interval.Point(_assumptions.TokenMatrixRatio(meaning.LayerPath));
            case Quantity.AttentionValueSpreadRatio:
                return Interval.Point(_assumptions.AttentionValueSpreadRatio(meaning.LayerPath, Head(meaning)));
            case Quantity.ConcatenationRatio:
                return Interval.Point(_concatenations?.Ratio(meaning.LayerPath, Evaluate) ?? 1.0);
            default:
                throw new InputException($"the engine has no evaluation for quantity {meaning.Quantity} (layer '{meaning.LayerPath}').");
        }
    }

    /// <summary>The meaning of a bound symbol: carried by the symbol, or recovered from its name.</summary>
    public static SymbolMeaning MeaningOf(SymbolExpr symbol) =>
        symbol.Meaning ?? SymbolNames.TryParseMeaning(symbol.Name)
        ?? throw new InputException($"the bound symbol '{symbol.Name}' names no known quantity; the engine cannot give it a value.");

    private static int Head(SymbolMeaning meaning) =>
        meaning.Head ?? throw new InputException($"{meaning.Quantity} of '{meaning.LayerPath}' needs a head index.");
}

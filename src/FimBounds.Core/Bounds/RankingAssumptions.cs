using System.Collections.Generic;
using FimBounds.Core.Algebra;

namespace FimBounds.Core.Bounds;

/// <summary>
/// The common assumption under which architectures are ranked in theory: every symbol of a bound is
/// replaced by an expression in a few shared symbols (by its <see cref="Quantity"/>), and the bounds are
/// compared as functions of <see cref="Variable"/> with the other shared symbols fixed.
/// </summary>
public sealed record RankingAssumptions
{
    /// <summary>The default: σ = s everywhere (σ(W_QW_Kᵀ) = s², a product of two such maps), β = b, LayerNorm with
    /// unit gain, no shift, unit token variance, no query bias; b = 1; s compared over [1/16, 32], reference s = 1.</summary>
    public static RankingAssumptions Default { get; } = new();

    public IReadOnlyDictionary<Quantity, Expr> Replacements { get; init; } = new Dictionary<Quantity, Expr>
    {
        [Quantity.OperatorNorm] = Expr.Sym("s"),
        [Quantity.BatchNormScale] = Expr.Sym("b"),
        [Quantity.LayerNormGain] = Expr.One,
        [Quantity.LayerNormShiftNorm] = Expr.Zero,
        [Quantity.TokenVarianceFloor] = Expr.One,
        [Quantity.AttentionValueNorm] = Expr.Sym("s"),
        [Quantity.AttentionQueryKeyNorm] = Expr.Pow(Expr.Sym("s"), 2),
        [Quantity.AttentionOutputNorm] = Expr.Sym("s"),
        [Quantity.AttentionQueryBiasKeyNorm] = Expr.Zero,
        [Quantity.InputRadius] = Expr.Sym("r"),
        [Quantity.AttentionMatrixRatio] = Expr.One,
        [Quantity.TokenMatrixRatio] = Expr.One,
        [Quantity.AttentionValueSpreadRatio] = Expr.One,
        [Quantity.ConcatenationRatio] = Expr.One,
    };

    /// <summary>One line per replacement, as printed above the ranking table.</summary>
    public IReadOnlyList<string> Statements { get; init; } = new[]
    {
        "every operator norm σ (conv, linear, patch embedding, W_V, W_O) = s",
        "every attention score map σ(W_Q W_Kᵀ) = s² (a product of two maps of norm s); no query bias (κ = 0)",
        "every BatchNorm scale β = b",
        "LayerNorm: max|γ| = 1, ‖β‖ = 0, token variance floor v_min = 1",
        "attention input radius without a preceding LayerNorm: r",
        "attention at its worst case: ρ_P = ρ_X = ρ_V = 1 (‖P‖₂ = √n, ‖X‖₂ = √n·R, softmax spread ½·‖X‖₂σ(W_V))",
        "a map after a dense concatenation at its worst case: ρ_C = 1 (σ(W)·√(Σ_j a_j²), every branch's block of W as large as W)",
    };

    /// <summary>The symbol the bounds are compared along.</summary>
    public string Variable { get; init; } = "s";

    /// <summary>Values of the other shared symbols.</summary>
    public IReadOnlyDictionary<string, double> Fixed { get; init; } = new Dictionary<string, double> { ["b"] = 1, ["r"] = 1 };

    /// <summary>The value of <see cref="Variable"/> of the "rank at a point" column.</summary>
    public double Reference { get; init; } = 1;

    /// <summary>The interval searched for crossovers.</summary>
    public double From { get; init; } = 0.0625;

    public double To { get; init; } = 32;

    /// <summary>A bound with every symbol replaced by its assumption (symbols without a meaning are kept).</summary>
    public Expr Apply(Expr bound)
    {
        var map = new Dictionary<string, Expr>();
        foreach (SymbolExpr s in bound.Symbols())
        {
            if (s.Meaning is not null && Replacements.TryGetValue(s.Meaning.Quantity, out Expr? replacement))
            {
                map[s.Name] = replacement;
            }
        }
        return bound.Substitute(map);
    }
}

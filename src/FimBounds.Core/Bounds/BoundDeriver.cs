using System;
using System.Collections.Generic;
using System.Globalization;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// Derives the closed-form bound of an architecture from its description alone: the Lipschitz factor
/// of every node composed by the rules of its composition (sequence ∏, residual L_after·(L_shortcut +
/// L_body), dense step √(1 + L_h²)), then λ_max(F) ≤ ½·L².
/// </summary>
public static class BoundDeriver
{
    public static ArchitectureBound Derive(ArchitectureDescription description)
    {
        var derivation = new Derivation(LinearFolds.Of(description.Network), ConcatenationPlan.Of(description.Network));
        Expr? radius = null;
        Expr lipschitz = derivation.Node(description.Network, 0, ref radius);
        return new ArchitectureBound(
            description.Name,
            lipschitz,
            SoftmaxFactor.FimBound(lipschitz),
            derivation.Factors,
            derivation.Assumptions);
    }

    /// <summary>The factor of one node on its own (for reports and tests); attention without a preceding LayerNorm gets an R symbol.</summary>
    public static Expr FactorOf(Layer layer)
    {
        Expr? radius = null;
        return new Derivation(LinearFolds.Of(layer), ConcatenationPlan.Of(layer)).Node(layer, 0, ref radius);
    }

    private sealed class Derivation
    {
        public List<LayerFactor> Factors { get; } = new();

        public List<Assumption> Assumptions { get; } = new();

        private readonly HashSet<string> _stated = new(StringComparer.Ordinal);

        private readonly LinearFolds _folds;

        private readonly ConcatenationPlan _concatenations;

        public Derivation(LinearFolds folds, ConcatenationPlan concatenations)
        {
            _folds = folds;
            _concatenations = concatenations;
        }

        /// <summary>The fold this layer is the linear map of, or null.</summary>
        private LinearFold? MapFold(Layer layer) => _folds.Of(layer.Path) is { } fold && ReferenceEquals(fold.Map, layer) ? fold : null;

        /// <summary>The fold this scale (BatchNorm, LayerNorm) is folded into, or null.</summary>
        private LinearFold? ScaleFold(Layer layer) => _folds.Of(layer.Path) is { } fold && !ReferenceEquals(fold.Map, layer) ? fold : null;

        /// <summary>
        /// The factor of <paramref name="layer"/>. <paramref name="radius"/> carries a bound on every token's
        /// norm after the previous layer (known after a LayerNorm), which attention needs.
        /// </summary>
        public Expr Node(Layer layer, int depth, ref Expr? radius)
        {
            int slot = Factors.Count;
            Factors.Add(null!); // parent before children; filled below
            string rule;
            Expr factor;
            switch (layer)
            {
                case Sequence sequence:
                    {
                        var parts = new List<Expr>(sequence.Layers.Count);
                        foreach (Layer child in sequence.Layers)
                        {
                            parts.Add(Node(child, depth + 1, ref radius));
                        }
                        factor = Expr.Mul(parts);
                        rule = "product of its layers";
                        break;
                    }
                case Residual residual:
                    {
                        Expr? inner = null;
                        Expr body = Node(residual.Body, depth + 1, ref inner);
                        Expr? shortcutRadius = null;
                        Expr shortcut = residual.Projection is null ? Expr.One : Node(residual.Projection, depth + 1, ref shortcutRadius);
                        Expr? afterRadius = null;
                        Expr after = residual.After is null ? Expr.One : Node(residual.After, depth + 1, ref afterRadius);
                        factor = Expr.Mul(after, Expr.Add(shortcut, body));
                        rule = residual.Projection is null ? "1 + L_body (identity shortcut)" : "L_projection + L_body";
                        radius = null;
                        break;
                    }
                case DenseBlock dense:
                    {
                        var steps = new List<Expr>(dense.Steps.Count);
                        foreach (Sequence step in dense.Steps)
                        {
                            Expr? inner = null;
                            Expr h = Node(step, depth + 1, ref inner);
                            steps.Add(Expr.Sqrt(Expr.Add(Expr.One, Expr.Pow(h, 2))));
                        }
                        factor = Expr.Mul(steps);
                        rule = "∏ over steps x ↦ [x, h(x)] of √(1 + L_h²)";
                        radius = null;
                        break;
                    }
                case MultiHeadSelfAttention attention:
                    {
                        Expr r = radius ?? StateRadius(attention);
                        LinearFold? fold = MapFold(attention);
                        factor = AttentionRule.Factor(attention, r, fold?.Composite ?? attention.Path);
                        rule = (fold is not null
                            ? "σ_O·√(Σ_h L_head²) with the LayerNorm's γ, β folded into W_Q, W_K, W_V; token radius √D of the normalised tokens"
                            : radius is null
                                ? "σ_O·√(Σ_h L_head²), token radius R assumed"
                                : "σ_O·√(Σ_h L_head²), token radius from the preceding LayerNorm")
                            + "; ratios ρ_P, ρ_X, ρ_V ≤ 1 to the worst cases (1: every input; measured maxima: the calibration inputs)";
                        radius = null;
                        break;
                    }
                default:
                    (factor, rule) = Primitive(layer, ref radius);
                    break;
            }
            Factors[slot] = new LayerFactor(layer.Path, layer.Kind, factor, depth, rule);
            return factor;
        }

        private (Expr Factor, string Rule) Primitive(Layer layer, ref Expr? radius)
        {
            switch (layer)
            {
                case Conv2d:
                case Linear:
                    {
                        radius = null;
                        (Expr sigma, string rule) = MapFold(layer) is { } fold
                            ? (LayerRules.OperatorNorm(fold.Composite), "operator norm of the map with its BatchNorm/LayerNorm scales folded in (LinearFolds)")
                            : (LayerRules.OperatorNorm(layer.Path), "operator norm at the layer's input size");
                        return _concatenations.Of(layer.Path) is null
                            ? (sigma, rule)
                            : (Expr.Mul(SymbolNames.Symbol(Quantity.ConcatenationRatio, layer.Path), sigma),
                                rule + "; times ρ_C ≤ 1, the concatenation ratio of its dense input (ConcatenationPlan; 1: the worst case)");
                    }
                case PatchEmbedding:
                    radius = null;
                    return (LayerRules.OperatorNorm(layer.Path), "operator norm of the non-overlapping patch convolution");
                case Activation activation:
                    radius = null;
                    return (LayerRules.Activation(activation), "sup |f'|");
                case MaxPool2d max:
                    radius = null;
                    return (PoolingFactors.MaxPool(max), "√(most windows per input)");
                case AvgPool2d avg:
                    radius = null;
                    return (PoolingFactors.AvgPool(avg), "Schur bound √(max column sum · max row sum)");
                case AdaptiveAvgPool2d adaptive:
                    radius = null;
                    return (PoolingFactors.AdaptiveAvgPool(adaptive), "√(max column sum) over the adaptive windows");
                case BatchNorm2d bn:
                    radius = null;
                    return ScaleFold(bn) is { } folded
                        ? (Expr.One, "1: its scale is folded into σ(" + folded.Composite + ")")
                        : (LayerRules.BatchNorm(bn), "max |γ|/√(var + ε)");
                case LayerNorm ln:
                    StateVarianceFloor(ln);
                    if (ScaleFold(ln) is { } normalised)
                    {
                        radius = LayerRules.NormalisedTokenRadius(ln);
                        return (LayerRules.LayerNormalisation(ln), "1/√(v_min + ε): γ is folded into σ(" + normalised.Composite + ")");
                    }
                    radius = LayerRules.LayerNormOutputRadius(ln);
                    return (LayerRules.LayerNorm(ln), "max |γ|/√(v_min + ε)");
                case Normalize normalize:
                    radius = null;
                    return (LayerRules.Normalize(normalize), "1/min std");
                case Dropout:
                case TokenSelect:
                    // Identity in eval mode / a projection: token norms do not grow.
                    return (Expr.One, "1");
                case Flatten:
                case ClassToken:
                case PositionEmbedding:
                    radius = null;
                    return (Expr.One, "1");
                default:
                    throw new ArgumentException(
                        $"No bound rule for layer '{layer.Path}' of kind '{layer.Kind}'. Add a rule in FimBounds.Core/Bounds.",
                        nameof(layer));
            }
        }

        private void StateVarianceFloor(LayerNorm ln)
        {
            string symbol = SymbolNames.NameOf(new SymbolMeaning(Quantity.TokenVarianceFloor, ln.Path));
            State(symbol,
                $"every token entering LayerNorm '{ln.Path}' has variance ≥ {symbol} (worst case 0 gives the factor max|γ|/√ε with ε = " +
                ln.Eps.ToString("R", CultureInfo.InvariantCulture) + "; a floor measured on data gives a data-aware bound)");
        }

        private Expr StateRadius(MultiHeadSelfAttention attention)
        {
            SymbolExpr symbol = SymbolNames.Symbol(Quantity.InputRadius, attention.Path);
            State(symbol.Name, $"every token entering attention '{attention.Path}' has Euclidean norm ≤ {symbol.Name} (no LayerNorm precedes it to bound it)");
            return symbol;
        }

        private void State(string symbol, string description)
        {
            if (_stated.Add(symbol))
            {
                Assumptions.Add(new Assumption(symbol, description));
            }
        }
    }
}

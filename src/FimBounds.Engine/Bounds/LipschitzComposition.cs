using System.Globalization;
using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// The numeric Lipschitz constant L of the logit map, composed layer by layer over the architecture
/// description exactly as DESIGN.md §7 states the rules (sequence: product; residual: (L_body +
/// L_shortcut)·L_after; dense step: √(1 + L_h²); attention: σ(W_O)·√(Σ_h L_head²) with
/// L_head = σ(W_V)(√n + n·R·R̃·σ(M̃)/√d_k), R̃ = √(R² + 1) when a query bias shifts the scores, else R).
/// The engine evaluates it from the real weights independently of the symbolic bound, as a cross-check
/// of the symbolic instantiation and as the bound's per-layer breakdown.
/// </summary>
public sealed class LipschitzComposition
{
    /// <summary>max |GELU'(x)| = Φ(√2) + √2·φ(√2) ≈ 1.1289, rounded up.</summary>
    public const double GeluFactor = 1.13;

    private readonly WeightQuantities _weights;
    private readonly AssumptionValues _assumptions;
    private readonly List<LayerFactor> _factors = new();

    private LipschitzComposition(WeightQuantities weights, AssumptionValues assumptions)
    {
        _weights = weights;
        _assumptions = assumptions;
    }

    /// <summary>L and the per-layer factors in execution order.</summary>
    public static (double Lipschitz, IReadOnlyList<LayerFactor> Factors) Compose(ArchitectureDescription description, WeightQuantities weights,
        AssumptionValues assumptions)
    {
        var composition = new LipschitzComposition(weights, assumptions);
        double l = composition.Walk(description.Network);
        return (l, composition._factors);
    }

    private double Walk(Layer layer)
    {
        switch (layer)
        {
            case Sequence sequence:
                return sequence.Layers.Aggregate(1.0, (product, child) => product * Walk(child));
            case Residual residual:
            {
                double body = Walk(residual.Body);
                double shortcut = residual.Projection is null ? 1.0 : Walk(residual.Projection);
                double after = residual.After is null ? 1.0 : Walk(residual.After);
                double value = (body + shortcut) * after;
                return Add(residual.Path, "residual", value, $"({F(body)} + {F(shortcut)})·{F(after)}");
            }
            case DenseBlock block:
            {
                double product = 1.0;
                foreach (Sequence step in block.Steps)
                {
                    double h = Walk(step);
                    product *= Add(step.Path, "densestep", Math.Sqrt(1 + h * h), $"√(1 + {F(h)}²)");
                }
                return product;
            }
            case Conv2d conv:
            {
                var norm = _weights.OperatorNorm(conv.Path);
                string? bn = _weights.FoldedBatchNorm(conv.Path);
                return Add(conv.Path, conv.Kind, norm.Upper, bn is null ? "σ at input size" : $"σ with {bn} folded in", norm.Lower, bn);
            }
            case Linear linear:
            {
                var norm = _weights.OperatorNorm(linear.Path);
                return Add(linear.Path, linear.Kind, norm.Upper, "σ(W)", norm.Lower);
            }
            case PatchEmbedding patch:
            {
                var norm = _weights.OperatorNorm(patch.Path);
                return Add(patch.Path, patch.Kind, norm.Upper, "σ of the kernel as a matrix", norm.Lower);
            }
            case BatchNorm2d bn:
                return Add(bn.Path, bn.Kind, _weights.BatchNormScale(bn.Path), _weights.IsFolded(bn.Path) ? "folded into the convolution" : "max|γ|/√(var+ε)",
                    foldedWith: _weights.FoldedInto(bn.Path));
            case Activation activation:
                return Add(activation.Path, activation.Kind, ActivationFactor(activation), "max |f'|");
            case MaxPool2d pool:
                return Add(pool.Path, pool.Kind, WeightQuantities.MaxPoolFactor(pool), "⌈k/s⌉");
            case AvgPool2d or AdaptiveAvgPool2d:
                return Add(layer.Path, layer.Kind, WeightQuantities.AveragePoolNorm(layer), "σ of the averaging operator");
            case Normalize normalize:
                return Add(normalize.Path, normalize.Kind, RoundingMargin.Up(1.0 / normalize.Std.Min()), "1/min std");
            case LayerNorm ln:
            {
                double floor = _assumptions.VarianceFloor(ln.Path);
                double value = RoundingMargin.Up(_weights.LayerNormGain(ln.Path) / Math.Sqrt(floor + ln.Eps));
                return Add(ln.Path, ln.Kind, value, $"max|γ|/√(v_min + ε), v_min = {F(floor)}");
            }
            case MultiHeadSelfAttention mha:
                return Add(mha.Path, mha.Kind, AttentionFactor(mha), "σ(W_O)·√Σ_h σ(W_V)²(√n + n·R·R̃·σ(M̃)/√d_k)²");
            case Dropout or Flatten or TokenSelect or ClassToken or PositionEmbedding:
                return Add(layer.Path, layer.Kind, 1.0, "identity on perturbations");
            default:
                throw new InputException($"no Lipschitz rule for layer kind '{layer.Kind}' at '{layer.Path}'.");
        }
    }

    private double AttentionFactor(MultiHeadSelfAttention mha)
    {
        AttentionNorms norms = _weights.Attention(mha.Path);
        int tokens = mha.Input[0];
        double r = _assumptions.InputRadius(mha.Path);
        double scoreRadius = norms.QueryBiasMatters ? Math.Sqrt(r * r + 1) : r;
        double sumOfSquares = 0;
        for (int h = 0; h < norms.Heads; h++)
        {
            double head = norms.Value[h] * (Math.Sqrt(tokens) + tokens * r * scoreRadius * norms.QueryKey[h] / Math.Sqrt(norms.HeadDim));
            sumOfSquares += head * head;
        }
        return RoundingMargin.Up(norms.Output * Math.Sqrt(sumOfSquares));
    }

    public static double ActivationFactor(Activation activation) => activation.Function switch
    {
        ActivationFunction.ReLU or ActivationFunction.Tanh => 1.0,
        ActivationFunction.LeakyReLU => Math.Max(1.0, Math.Abs(activation.NegativeSlope)),
        ActivationFunction.GELU => GeluFactor,
        ActivationFunction.Sigmoid => 0.25,
        _ => throw new InputException($"no Lipschitz constant for activation {activation.Function}."),
    };

    private double Add(string path, string kind, double value, string detail, double? lower = null, string? foldedWith = null)
    {
        _factors.Add(new LayerFactor(path, kind, value, detail, lower, foldedWith));
        return value;
    }

    private static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}

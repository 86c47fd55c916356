using System;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// The Lipschitz factor of every primitive layer (DESIGN.md §2, §7): an upper bound on the spectral
/// norm of the layer's Jacobian at every input (LayerNorm: every input whose token variance is at least
/// the stated floor). Each is proven numerically in the tests against the true Jacobian.
/// </summary>
public static class LayerRules
{
    /// <summary>sup |GELU'| = Φ(√2) + √2·φ(√2) ≈ 1.1289; 1.13 is the sound constant used.</summary>
    public static readonly Number GeluConstant = Number.Rational(113, 100);

    /// <summary>sup |sigmoid'| = ¼.</summary>
    public static readonly Number SigmoidConstant = Number.Rational(1, 4);

    public static Expr OperatorNorm(string path) => SymbolNames.Symbol(Quantity.OperatorNorm, path);

    public static Expr Activation(Activation activation) => activation.Function switch
    {
        ActivationFunction.ReLU => Expr.One,
        ActivationFunction.Tanh => Expr.One,
        ActivationFunction.LeakyReLU => Expr.Num(Number.FromDouble(Math.Max(1.0, Math.Abs(activation.NegativeSlope)))),
        ActivationFunction.Sigmoid => Expr.Num(SigmoidConstant),
        ActivationFunction.GELU => Expr.Num(GeluConstant),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation.Function, "No bound rule for this activation."),
    };

    /// <summary>β = maxₖ |γₖ|/√(varₖ + ε) of an eval-mode BatchNorm (a per-channel scaling plus a shift).</summary>
    public static Expr BatchNorm(BatchNorm2d bn) => SymbolNames.Symbol(Quantity.BatchNormScale, bn.Path);

    /// <summary>
    /// LayerNorm: the Jacobian of x ↦ (x − μ)/√(v + ε) is (P − ẑẑᵀ/D)/√(v + ε) with P the centring
    /// projection and ‖ẑ‖² ≤ D, a matrix of norm ≤ 1/√(v + ε); times max|γ|. Bounded only on tokens with
    /// variance v ≥ v_min, the stated assumption.
    /// </summary>
    public static Expr LayerNorm(LayerNorm ln) =>
        Expr.Div(
            SymbolNames.Symbol(Quantity.LayerNormGain, ln.Path),
            Expr.Sqrt(Expr.Add(SymbolNames.Symbol(Quantity.TokenVarianceFloor, ln.Path), Expr.Num(Number.FromDouble(ln.Eps)))));

    /// <summary>
    /// The normalisation alone, x ↦ (x − μ)/√(v + ε), when γ (and β) are folded into the next linear map
    /// (<see cref="LinearFolds"/>): its Jacobian has norm ≤ 1/√(v + ε) (see <see cref="LayerNorm"/>).
    /// </summary>
    public static Expr LayerNormalisation(LayerNorm ln) =>
        Expr.Div(Expr.One,
            Expr.Sqrt(Expr.Add(SymbolNames.Symbol(Quantity.TokenVarianceFloor, ln.Path), Expr.Num(Number.FromDouble(ln.Eps)))));

    /// <summary>Every normalised token ẑ has ‖ẑ‖² = D·v/(v + ε) &lt; D, so √D bounds it with no assumption.</summary>
    public static Expr NormalisedTokenRadius(LayerNorm ln) => Expr.Sqrt(Expr.Num(Number.Integer(ln.Features)));

    /// <summary>
    /// Every token's norm after LayerNorm: ‖γ ⊙ ẑ + β‖ ≤ max|γ|·‖ẑ‖ + ‖β‖ ≤ max|γ|·√D + ‖β‖, since ‖ẑ‖² = D·v/(v + ε) ≤ D.
    /// </summary>
    public static Expr LayerNormOutputRadius(LayerNorm ln) =>
        Expr.Add(
            Expr.Mul(SymbolNames.Symbol(Quantity.LayerNormGain, ln.Path), Expr.Sqrt(Expr.Num(Number.Integer(ln.Features)))),
            SymbolNames.Symbol(Quantity.LayerNormShiftNorm, ln.Path));

    /// <summary>(x − mean)/std per channel: exactly 1/minₖ stdₖ.</summary>
    public static Expr Normalize(Normalize normalize)
    {
        if (normalize.Std.Count == 0)
        {
            throw new ArgumentException($"Normalize '{normalize.Path}' has no standard deviations.", nameof(normalize));
        }
        double min = double.PositiveInfinity;
        foreach (double s in normalize.Std)
        {
            min = Math.Min(min, Math.Abs(s));
        }
        if (min <= 0)
        {
            throw new ArgumentException($"Normalize '{normalize.Path}' divides by a standard deviation of 0.", nameof(normalize));
        }
        return Expr.Num(Number.FromDouble(min).Reciprocal());
    }
}

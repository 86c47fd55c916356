using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Per-neuron linear bounds of a monotone activation f over its input interval [l, u]:
/// LowerSlope·z + LowerIntercept ≤ f(z) ≤ UpperSlope·z + UpperIntercept for z ∈ [l, u], with both slopes
/// ≥ 0 (so they compose with bounds of z that hold pointwise), and the range [DerivativeLower,
/// DerivativeUpper] of f' over [l, u] (for the Jacobian). Shapes [B, features…].
/// </summary>
internal sealed record ActivationRelaxation(
    Tensor LowerSlope, Tensor LowerIntercept, Tensor UpperSlope, Tensor UpperIntercept,
    Tensor DerivativeLower, Tensor DerivativeUpper)
{
    /// <summary>
    /// Neurons [B, features…] whose lower line may take any slope in [<see cref="LowerSlopeFloor"/>, 1] and stay
    /// sound (α-CROWN optimises it there); null when the activation offers no such freedom (smooth activations).
    /// </summary>
    public Tensor? FreeLowerSlope { get; init; }

    /// <summary>The smallest sound lower slope of a free neuron (the negative-side slope a of max(z, a·z)).</summary>
    public double LowerSlopeFloor { get; init; }

    /// <summary>
    /// f(z) = max(z, a·z) with 0 ≤ a ≤ 1 (ReLU: a = 0). Stable neurons are exact; an unstable one has the
    /// chord from (l, a·l) to (u, u) above and, below, the line through the origin of slope 1 or a —
    /// whichever leaves the smaller area (CROWN's adaptive choice: 1 when u ≥ −l). Any slope α ∈ [a, 1] of that
    /// lower line is sound (z ≥ 0: z ≥ α·z; z &lt; 0: a·z ≥ α·z), which is the freedom α-CROWN optimises.
    /// </summary>
    public static ActivationRelaxation PiecewiseLinear(Interval bounds, double negativeSlope)
    {
        Tensor l = bounds.Lower;
        Tensor u = bounds.Upper;
        Tensor one = ones_like(l);
        Tensor a = one.Times(negativeSlope);
        Tensor zero = zeros_like(l);
        Tensor active = l.ge(zero);
        Tensor inactive = u.le(zero);
        Tensor unstable = active.logical_or(inactive).logical_not();
        Tensor chord = u.Minus(l.Times(negativeSlope)).div(u.Minus(l).ClampBelow(1e-300));
        Tensor chordIntercept = l.Times(negativeSlope).Minus(chord.mul(l));
        Tensor adaptive = where(u.ge(l.neg()), one, a);
        Tensor fixedSlope = where(active, one, a);
        return new ActivationRelaxation(
            LowerSlope: where(unstable, adaptive, fixedSlope),
            LowerIntercept: zero,
            UpperSlope: where(unstable, chord, fixedSlope),
            UpperIntercept: where(unstable, chordIntercept, zero),
            DerivativeLower: where(l.gt(zero), one, a),   // at z = 0 the network's derivative is a (as recorded by the linearizer)
            DerivativeUpper: where(inactive, a, one))
        {
            FreeLowerSlope = unstable,
            LowerSlopeFloor = negativeSlope,
        };
    }

    /// <summary>Neurons whose input interval straddles 0: a piecewise-linear activation is relaxed there, exact elsewhere.</summary>
    public static Tensor Unstable(Interval bounds) =>
        bounds.Lower.lt(zeros_like(bounds.Lower)).logical_and(bounds.Upper.gt(zeros_like(bounds.Upper)));

    /// <summary>Neurons whose input interval is not a point: a smooth activation's relaxation is exact only there.</summary>
    public static Tensor NotPoint(Interval bounds) => bounds.Lower.lt(bounds.Upper);

    /// <summary>
    /// A smooth sigmoid-shaped f (tanh, the logistic sigmoid): both lines take the chord's slope k, and
    /// their intercepts are the max and min of g(z) = f(z) − k·z over [l, u] — attained at l, u or where
    /// f'(z) = k (solved in closed form, ±z*), so the bounds hold whatever k is. f' peaks at 0 and falls
    /// with |z|, which gives its range over [l, u].
    /// </summary>
    public static ActivationRelaxation SigmoidShaped(Interval bounds, SmoothActivation f)
    {
        Tensor l = bounds.Lower;
        Tensor u = bounds.Upper;
        Tensor width = u.Minus(l);
        Tensor chord = f.Value(u).Minus(f.Value(l)).div(width.ClampBelow(1e-300));
        Tensor slope = where(width.gt(zeros_like(width).Plus(1e-9)), chord, f.Derivative(l.Plus(u).Times(0.5))).ClampBelow(0);
        Tensor stationary = f.WhereDerivativeIs(slope);
        Tensor[] candidates =
        {
            l, u,
            minimum(maximum(stationary, l), u),
            minimum(maximum(stationary.neg(), l), u),
        };
        Tensor[] gaps = candidates.Select(z => f.Value(z).Minus(slope.mul(z))).ToArray();
        Tensor highest = stack(gaps).amax(0);
        Tensor lowest = stack(gaps).amin(0);
        // Rounding in f and in k·z is far below this pad; it keeps the lines outside the curve.
        Tensor pad = maximum(l.abs(), u.abs()).mul(slope).Plus(1.0).Times(1e-12);
        Tensor smallestMagnitude = where(l.le(zeros_like(l)).logical_and(u.ge(zeros_like(u))), zeros_like(l), minimum(l.abs(), u.abs()));
        Tensor largestMagnitude = maximum(l.abs(), u.abs());
        return new ActivationRelaxation(
            LowerSlope: slope,
            LowerIntercept: lowest.Minus(pad),
            UpperSlope: slope,
            UpperIntercept: highest.Plus(pad),
            DerivativeLower: f.Derivative(largestMagnitude).Times(1 - 1e-12),
            DerivativeUpper: f.Derivative(smallestMagnitude).Times(1 + 1e-12));
    }
}

/// <summary>tanh or the logistic sigmoid: value, derivative, and the positive z* with f'(z*) = k.</summary>
internal sealed class SmoothActivation
{
    private SmoothActivation(string name, Func<Tensor, Tensor> value, Func<Tensor, Tensor> derivative, Func<Tensor, Tensor> whereDerivativeIs)
    {
        Name = name;
        Value = value;
        Derivative = derivative;
        WhereDerivativeIs = whereDerivativeIs;
    }

    public string Name { get; }

    public Func<Tensor, Tensor> Value { get; }

    public Func<Tensor, Tensor> Derivative { get; }

    /// <summary>z* ≥ 0 with f'(±z*) = k where such a point exists; otherwise any point (an extra candidate is harmless).</summary>
    public Func<Tensor, Tensor> WhereDerivativeIs { get; }

    // tanh' = 1 − tanh²: tanh z* = √(1 − k).
    public static SmoothActivation Tanh { get; } = new(
        "Tanh",
        z => z.tanh(),
        z => { Tensor t = z.tanh(); return ones_like(t).Minus(t.mul(t)); },
        k => ones_like(k).Minus(k).ClampBelow(0).ClampAbove(1).sqrt().ClampAbove(1 - 1e-15).atanh());

    // σ' = σ(1 − σ): σ(z*) = (1 + √(1 − 4k))/2.
    public static SmoothActivation Sigmoid { get; } = new(
        "Sigmoid",
        z => z.sigmoid(),
        z => { Tensor s = z.sigmoid(); return s.mul(ones_like(s).Minus(s)); },
        k =>
        {
            Tensor s = ones_like(k).Minus(k.Times(4)).ClampBelow(0).ClampAbove(1).sqrt().Plus(1.0).Times(0.5).ClampAbove(1 - 1e-15);
            return s.div(ones_like(s).Minus(s)).log();
        });
}

using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>An elementwise monotone activation (ReLU, LeakyReLU, Tanh, Sigmoid) and its relaxation.</summary>
internal sealed class ActivationNode(Func<Tensor, Tensor> apply, Func<Interval, ActivationRelaxation> relax) : BoundNode
{
    public override Interval Ibp(Interval input, BoundRun run)
    {
        Interval bounds = run.Record(this, input);
        // Monotone: the endpoints map to the endpoints.
        return new Interval(apply(bounds.Lower), apply(bounds.Upper));
    }

    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        run.Record(this, input.Concretize(run.Region));
        ActivationRelaxation r = Relaxation(run);
        // Slopes are ≥ 0, so a·(bound of z) bounds a·z on the same side, pointwise in x.
        return LinearBounds.Of(
            input.Lower.mul(r.LowerSlope.PerRow()),
            input.LowerConstant.mul(r.LowerSlope).Plus(r.LowerIntercept),
            input.Upper.mul(r.UpperSlope.PerRow()),
            input.UpperConstant.mul(r.UpperSlope).Plus(r.UpperIntercept));
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run)
    {
        ActivationRelaxation r = Relaxation(run);
        // A positive coefficient takes f's lower line, a negative one its upper line.
        Tensor positive = output.Coefficients.PositivePart();
        Tensor negative = output.Coefficients.NegativePart();
        Tensor coefficients = positive.mul(r.LowerSlope.PerRow()).Plus(negative.mul(r.UpperSlope.PerRow()));
        Tensor constant = output.Constant
            .Plus(positive.mul(r.LowerIntercept.PerRow()).flatten(2).sum(2))
            .Plus(negative.mul(r.UpperIntercept.PerRow()).flatten(2).sum(2));
        return new BackwardBound(coefficients, constant);
    }

    public override Interval JacobianRows(Interval rows, BoundRun run)
    {
        ActivationRelaxation r = Relaxation(run);
        return IntervalProduct.WithNonnegative(rows, new Interval(r.DerivativeLower.PerRow(), r.DerivativeUpper.PerRow()));
    }

    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion)
    {
        ActivationRelaxation r = Relaxation(expansion.Bounds);
        Tensor low = r.DerivativeLower[0];
        Tensor high = r.DerivativeUpper[0];
        Tensor varying = high.gt(low).flatten().nonzero().squeeze(1);
        // D = centre ± half range entrywise: W_i is the half range, Ê_i a diagonal of norm ≤ 1.
        Tensor halfRange = high.Minus(low).Times(0.5).flatten().index_select(0, varying);
        Tensor pulled = rows.Rows.mul(low.Plus(high).Times(0.5).unsqueeze(0));
        return expansion.Vary(rows, varying, pulled, varying, halfRange, spread: 1);
    }

    private ActivationRelaxation Relaxation(BoundRun run) => run.RelaxationOf(this, relax);
}

/// <summary>Elementwise products of intervals.</summary>
internal static class IntervalProduct
{
    /// <summary>[a, b]·[c, d] with 0 ≤ c ≤ d: the extremes are a·c or a·d below, b·c or b·d above.</summary>
    public static Interval WithNonnegative(Interval values, Interval factors) => new(
        minimum(values.Lower.mul(factors.Lower), values.Lower.mul(factors.Upper)),
        maximum(values.Upper.mul(factors.Lower), values.Upper.mul(factors.Upper)));
}

using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// A layer y = Wx + c (a convolution, a Linear layer, an eval BatchNorm, the input normalisation, an
/// average pool, a reshape). Sign-splitting W is done in centre/radius form: for bounds lo ≤ x ≤ up,
/// W⁺up + W⁻lo = W·mid + |W|·rad with mid = (up + lo)/2, rad = (up − lo)/2 — two applications of a
/// layer instead of four, and one while the bounds are still exact. The same identity serves IBP, the
/// forward linear bounds (pointwise in x) and the Jacobian rows (through Wᵀ and |W|ᵀ).
/// </summary>
internal abstract class AffineNode : BoundNode
{
    /// <summary>Wv for v [N, in…].</summary>
    protected abstract Tensor Linear(Tensor v);

    /// <summary>|W|v.</summary>
    protected abstract Tensor AbsoluteLinear(Tensor v);

    /// <summary>Wᵀu for u [N, out…].</summary>
    protected abstract Tensor Transpose(Tensor u);

    /// <summary>|W|ᵀu.</summary>
    protected abstract Tensor AbsoluteTranspose(Tensor u);

    /// <summary>c as [1, out…], or null when the layer has none.</summary>
    protected abstract Tensor? Constant { get; }

    public override Interval Ibp(Interval input, BoundRun run)
    {
        (Tensor mid, Tensor rad) = Spread(input.Lower, input.Upper, 1, Linear, AbsoluteLinear);
        mid = AddConstant(mid);
        return new Interval(mid.Minus(rad), mid.Plus(rad));
    }

    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        if (input.Exact)
        {
            Tensor coefficients = RowSlices.Map([input.Lower], rows => [rows[0].OnFlattened(2, Linear)], run.Buffers)[0];
            Tensor constant = AddConstant(input.LowerConstant.OnFlattened(1, Linear));
            return input with { Lower = coefficients, LowerConstant = constant, Upper = coefficients, UpperConstant = constant };
        }
        Tensor[] bounds = RowSlices.Map([input.Lower, input.Upper], rows =>
        {
            (Tensor mid, Tensor rad) = Spread(rows[0], rows[1], 2, Linear, AbsoluteLinear);
            return [mid.Minus(rad), mid.Plus(rad)];
        }, run.Buffers);
        (Tensor midConstant, Tensor radConstant) = Spread(input.LowerConstant, input.UpperConstant, 1, Linear, AbsoluteLinear);
        midConstant = AddConstant(midConstant);
        return LinearBounds.Of(bounds[0], midConstant.Minus(radConstant), bounds[1], midConstant.Plus(radConstant));
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run)
    {
        Tensor constant = output.Constant;
        if (Constant is { } c)
        {
            constant = constant.Plus(output.Coefficients.mul(c).flatten(2).sum(2));
        }
        return new BackwardBound(output.Coefficients.OnFlattened(2, Transpose), constant);
    }

    public override Interval JacobianRows(Interval rows, BoundRun run)
    {
        (Tensor mid, Tensor rad) = Spread(rows.Lower, rows.Upper, 2, Transpose, AbsoluteTranspose);
        return new Interval(mid.Minus(rad), mid.Plus(rad));
    }

    /// <summary>Whether W is diagonal up to a reshape (IBP then keeps an exact interval exact).</summary>
    protected virtual bool Diagonal => false;

    // An affine map has no relaxation to tighten: IBP carries the tightened bounds on.
    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        if (!Diagonal && run.GeneralMaps++ > 0)
        {
            run.InexactSteps++;
        }
        return Ibp(input, run);
    }

    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion) => rows with { Rows = Transpose(rows.Rows) };

    private Tensor AddConstant(Tensor t) => Constant is { } c ? t.Plus(c) : t;

    private static (Tensor Mid, Tensor Rad) Spread(Tensor lower, Tensor upper, int leading, Func<Tensor, Tensor> map, Func<Tensor, Tensor> absoluteMap)
    {
        Tensor mid = lower.Plus(upper).Times(0.5).OnFlattened(leading, map);
        Tensor rad = upper.Minus(lower).Times(0.5).OnFlattened(leading, absoluteMap);
        return (mid, rad);
    }
}

using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// An elementwise monotone activation (ReLU, LeakyReLU, Tanh, Sigmoid) and its relaxation. <c>loose</c> marks the
/// neurons [B, features…] whose relaxation is not exact over their input bounds (for ReLU: l &lt; 0 &lt; u): only
/// those gain from tighter bounds.
/// </summary>
internal sealed class ActivationNode(Func<Tensor, Tensor> apply, Func<Interval, ActivationRelaxation> relax, Func<Interval, Tensor> loose) : BoundNode
{
    /// <summary>Specification rows per backward pass of <see cref="Tighten"/>, times the features of the layer: a memory cap.</summary>
    private const long RowFeatureBudget = 4_000_000;

    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        Interval bounds = run.Record(this, input);
        Tensor flatLower = bounds.Lower.flatten(1);
        long batch = flatLower.shape[0];
        long features = flatLower.shape[1];
        Tensor indices = loose(bounds).flatten(1).any(0).nonzero().flatten();
        long count = indices.shape[0];
        bool exact = run.InexactSteps == 0;
        run.InexactSteps++;
        if (count == 0 || exact)
        {
            Interval unchanged = Ibp(bounds, run);
            Relaxation(run);
            return unchanged;
        }
        Tensor lower = flatLower.FilledLike(double.NegativeInfinity);
        Tensor upper = flatLower.FilledLike(double.PositiveInfinity);
        long chunk = Math.Max(1, RowFeatureBudget / (2 * features));
        for (long start = 0; start < count; start += chunk)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor rows = indices.narrow(0, start, Math.Min(chunk, count - start));
            (Tensor low, Tensor high) = BoundsOf(rows, bounds.Lower.shape, bounds.Lower.dtype, toInput, run.Region);
            Tensor at = rows.unsqueeze(0).expand(batch, -1);
            lower.scatter_(1, at, low);
            upper.scatter_(1, at, high);
        }
        // Record intersects with IBP's bounds: both are sound.
        Interval tightened = run.Record(this, new Interval(lower.reshape(bounds.Lower.shape), upper.reshape(bounds.Upper.shape)));
        Interval output = Ibp(tightened, run);
        // Built here, in the caller's scope: later nodes' passes read it inside dispose scopes of their own.
        Relaxation(run);
        return output;
    }

    /// <summary>CROWN's lower and upper bounds [B, n] of the input neurons <paramref name="rows"/> (flat indices) over the region.</summary>
    private static (Tensor Lower, Tensor Upper) BoundsOf(Tensor rows, long[] shape, ScalarType dtype, Pullback toInput, InputRegion region)
    {
        long n = rows.shape[0];
        long batch = shape[0];
        long features = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        // Rows e_i (for the lower bound) and −e_i (for the upper), the same for every input of the batch.
        Tensor unit = zeros(n, features, dtype: dtype, device: rows.device).scatter_(1, rows.unsqueeze(1), ones(n, 1, dtype: dtype, device: rows.device));
        Tensor spec = cat(new[] { unit, unit.neg() }, 0).unsqueeze(0).expand(batch, -1, -1).reshape(new[] { batch, 2 * n }.Concat(shape.Skip(1)).ToArray());
        BackwardBound atInput = toInput(new BackwardBound(spec, zeros(batch, 2 * n, dtype: dtype, device: rows.device)));
        Tensor values = region.MinimumOf(atInput.Coefficients.flatten(2), atInput.Constant);
        return (values.narrow(1, 0, n), values.narrow(1, n, n).neg());
    }

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
        Tensor lowerSlope = r.LowerSlope.PerRow();
        Tensor upperSlope = r.UpperSlope.PerRow();
        Tensor[] coefficients = RowSlices.Map([input.Lower, input.Upper], rows => [rows[0].mul(lowerSlope), rows[1].mul(upperSlope)], run.Buffers);
        return LinearBounds.Of(
            coefficients[0],
            input.LowerConstant.mul(r.LowerSlope).Plus(r.LowerIntercept),
            coefficients[1],
            input.UpperConstant.mul(r.UpperSlope).Plus(r.UpperIntercept));
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run)
    {
        ActivationRelaxation r = Relaxation(run);
        // A positive coefficient takes f's lower line, a negative one its upper line.
        Tensor positive = output.Coefficients.PositivePart();
        Tensor negative = output.Coefficients.NegativePart();
        Tensor coefficients = positive.mul(LowerSlopes(r, output, run)).Plus(negative.mul(r.UpperSlope.PerRow()));
        Tensor constant = output.Constant
            .Plus(positive.mul(r.LowerIntercept.PerRow()).flatten(2).sum(2))
            .Plus(negative.mul(r.UpperIntercept.PerRow()).flatten(2).sum(2));
        return new BackwardBound(coefficients, constant);
    }

    /// <summary>
    /// The lower lines' slopes for the rows of <paramref name="output"/>: the relaxation's own, or, while α-CROWN
    /// optimises the run's final pass, its variables [B, S, features…] on the free neurons (any of them is sound).
    /// </summary>
    private Tensor LowerSlopes(ActivationRelaxation r, BackwardBound output, BoundRun run)
    {
        Tensor fixedSlopes = r.LowerSlope.PerRow();
        if (run.Slopes is not { } slopes || r.FreeLowerSlope is not { } free)
        {
            return fixedSlopes;
        }
        Tensor alpha = slopes.For(this, fixedSlopes.expand_as(output.Coefficients), r.LowerSlopeFloor);
        return where(free.PerRow(), alpha, fixedSlopes);
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

    /// <summary>How many of the layer's neurons (over the batch) the run's recorded input bounds leave loosely relaxed, of how many.</summary>
    public RelaxedNeurons Relaxed(BoundRun run)
    {
        Tensor isLoose = loose(run.InputOf(this));
        return new RelaxedNeurons(isLoose.sum().item<long>(), isLoose.numel());
    }
}

/// <summary>Elementwise products of intervals.</summary>
internal static class IntervalProduct
{
    /// <summary>[a, b]·[c, d] with 0 ≤ c ≤ d: the extremes are a·c or a·d below, b·c or b·d above.</summary>
    public static Interval WithNonnegative(Interval values, Interval factors) => new(
        minimum(values.Lower.mul(factors.Lower), values.Lower.mul(factors.Upper)),
        maximum(values.Upper.mul(factors.Lower), values.Upper.mul(factors.Upper)));
}

/// <summary>An activation layer's loosely relaxed neurons over a ball, of all its neurons.</summary>
public sealed record RelaxedNeurons(long Loose, long Neurons);

using TorchSharp;
using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>Nodes one after another; the backward passes run them in reverse.</summary>
internal sealed class SequenceNode(IReadOnlyList<BoundNode> nodes) : BoundNode
{
    public IReadOnlyList<BoundNode> Nodes => nodes;

    public override Interval Ibp(Interval input, BoundRun run) => nodes.Aggregate(input, (x, node) => node.Ibp(x, run));

    /// <summary>
    /// Each layer in a dispose scope of its own: only its output leaves it, and the output of the layer before is freed
    /// once consumed (unless it is this sequence's input, which the caller owns). The forward bounds hold one row per input
    /// pixel at every layer; keeping every layer's (and its temporaries) until the pass ends held ~14 GB on densenet-mini.
    /// </summary>
    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        LinearBounds x = input;
        foreach (BoundNode node in nodes)
        {
            LinearBounds y;
            using (DisposeScope step = NewDisposeScope())
            {
                y = node.Forward(x, run);
                step.MoveToOuter(y.Tensors.Where(t => step.DisposablesView.Any(owned => ReferenceEquals(owned, t))).ToArray());
            }
            if (!ReferenceEquals(x, input))
            {
                x.DisposeExcept(y, run.Buffers);
            }
            x = y;
        }
        return x;
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run) => nodes.Reverse().Aggregate(output, (y, node) => node.Backward(y, run));

    public override Interval JacobianRows(Interval rows, BoundRun run) => nodes.Reverse().Aggregate(rows, (y, node) => node.JacobianRows(y, run));

    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        Interval x = input;
        Pullback toHere = toInput;
        foreach (BoundNode node in nodes)
        {
            x = node.Tighten(x, toHere, run);
            Pullback before = toHere;
            toHere = bound => before(node.Backward(bound, run));
        }
        return x;
    }

    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion) =>
        nodes.Reverse().Aggregate(rows, (y, node) => node.PullBackAtCentre(y, expansion));
}

/// <summary>
/// x ↦ after(body(x) + shortcut(x)), shortcut the identity when null. Linear bounds of the two branches
/// are both functions of the input, so their sum keeps what they share (IBP's sum of intervals does not).
/// </summary>
internal sealed class ResidualNode(BoundNode body, BoundNode? shortcut, BoundNode? after) : BoundNode
{
    public override Interval Ibp(Interval input, BoundRun run)
    {
        Interval sum = body.Ibp(input, run).Plus(shortcut?.Ibp(input, run) ?? input);
        return after?.Ibp(sum, run) ?? sum;
    }

    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        LinearBounds b = body.Forward(input, run);
        LinearBounds s = shortcut?.Forward(input, run) ?? input;
        var sum = new LinearBounds(
            b.Lower.Plus(s.Lower), b.LowerConstant.Plus(s.LowerConstant),
            b.Upper.Plus(s.Upper), b.UpperConstant.Plus(s.UpperConstant),
            b.Exact && s.Exact);
        // The sum copied both branches' bounds: their buffers serve the layers after.
        b.DisposeExcept(input, run.Buffers);
        s.DisposeExcept(input, run.Buffers);
        return after?.Forward(sum, run) ?? sum;
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run) => BranchesBackward(after?.Backward(output, run) ?? output, run);

    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        Interval sum = body.Tighten(input, toInput, run).Plus(shortcut?.Tighten(input, toInput, run) ?? input);
        // IBP's sum of two branches drops what they share.
        run.InexactSteps++;
        return after?.Tighten(sum, bound => toInput(BranchesBackward(bound, run)), run) ?? sum;
    }

    /// <summary>From a bound on the sum to one on the block's input, the branches merged there.</summary>
    private BackwardBound BranchesBackward(BackwardBound atSum, BoundRun run)
    {
        BackwardBound throughBody = body.Backward(atSum, run);
        BackwardBound throughShortcut = shortcut?.Backward(atSum, run) ?? atSum;
        // Both branches carry atSum's constant; count it once.
        return new BackwardBound(
            throughBody.Coefficients.Plus(throughShortcut.Coefficients),
            throughBody.Constant.Plus(throughShortcut.Constant).Minus(atSum.Constant));
    }

    public override Interval JacobianRows(Interval rows, BoundRun run)
    {
        Interval atSum = after?.JacobianRows(rows, run) ?? rows;
        return body.JacobianRows(atSum, run).Plus(shortcut?.JacobianRows(atSum, run) ?? atSum);
    }

    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion)
    {
        Cotangents atSum = after?.PullBackAtCentre(rows, expansion) ?? rows;
        Cotangents throughBody = body.PullBackAtCentre(atSum, expansion);
        Cotangents throughShortcut = shortcut?.PullBackAtCentre(atSum, expansion) ?? atSum;
        return Cotangents.Join(throughBody, throughShortcut, atSum.Count);
    }
}

/// <summary>One DenseNet layer x ↦ [x, inner(x)] along channels (the first feature axis).</summary>
internal sealed class DenseConcatNode(BoundNode inner, long inputChannels) : BoundNode
{
    public override Interval Ibp(Interval input, BoundRun run)
    {
        Interval appended = inner.Ibp(input, run);
        return new Interval(cat(new[] { input.Lower, appended.Lower }, 1), cat(new[] { input.Upper, appended.Upper }, 1));
    }

    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        LinearBounds appended = inner.Forward(input, run);
        bool exact = input.Exact && appended.Exact;
        Tensor lower = RowSlices.Concatenate(input.Lower, appended.Lower, run.Buffers);
        Tensor lowerConstant = cat(new[] { input.LowerConstant, appended.LowerConstant }, 1);
        // An exact bound's two sides are one tensor.
        var joined = new LinearBounds(lower, lowerConstant,
            exact ? lower : RowSlices.Concatenate(input.Upper, appended.Upper, run.Buffers),
            exact ? lowerConstant : cat(new[] { input.UpperConstant, appended.UpperConstant }, 1), exact);
        // The join copied the appended bounds: their buffers serve the layers after.
        appended.DisposeExcept(input, run.Buffers);
        return joined;
    }

    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        Interval appended = inner.Tighten(input, toInput, run);
        run.InexactSteps++;
        return new Interval(cat(new[] { input.Lower, appended.Lower }, 1), cat(new[] { input.Upper, appended.Upper }, 1));
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run)
    {
        long appendedChannels = output.Coefficients.shape[2] - inputChannels;
        BackwardBound throughInner = inner.Backward(
            output with { Coefficients = output.Coefficients.narrow(2, inputChannels, appendedChannels) }, run);
        return throughInner with { Coefficients = throughInner.Coefficients.Plus(output.Coefficients.narrow(2, 0, inputChannels)) };
    }

    public override Interval JacobianRows(Interval rows, BoundRun run)
    {
        long appendedChannels = rows.Lower.shape[2] - inputChannels;
        Interval throughInner = inner.JacobianRows(new Interval(
            rows.Lower.narrow(2, inputChannels, appendedChannels), rows.Upper.narrow(2, inputChannels, appendedChannels)), run);
        return throughInner.Plus(new Interval(rows.Lower.narrow(2, 0, inputChannels), rows.Upper.narrow(2, 0, inputChannels)));
    }

    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion)
    {
        long appendedChannels = rows.Rows.shape[1] - inputChannels;
        Cotangents throughInner = inner.PullBackAtCentre(rows with { Rows = rows.Rows.narrow(1, inputChannels, appendedChannels) }, expansion);
        // The passed-through channels reach the input directly; rows injected inside the layer do not pass them.
        Tensor passed = rows.Rows.narrow(1, 0, inputChannels);
        Tensor shared = throughInner.Rows.narrow(0, 0, rows.Count).Plus(passed);
        Tensor own = throughInner.Rows.narrow(0, rows.Count, throughInner.Count - rows.Count);
        return throughInner with { Rows = cat(new[] { shared, own }, 0) };
    }
}

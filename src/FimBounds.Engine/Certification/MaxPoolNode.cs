using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// MaxPool2d (floor mode, any kernel, stride, padding, dilation). Over a window, max ≥ x_i for every i,
/// so the element with the largest lower bound gives the lower line; when that element's lower bound
/// beats every other element's upper bound the window is stable (the max is that element), otherwise
/// the upper bound is the constant max of the upper bounds (DeepPoly's relaxation). In the Jacobian a
/// stable window routes its row exactly; an unstable one may route it to any element that can be the
/// max, with a weight in [0, 1]. Windows are unfolded from explicitly padded bounds (−∞ outside the
/// image), and cotangents fold back with the same padding, so overlapping windows add up.
/// </summary>
internal sealed class MaxPoolNode(long[] kernel, long[] stride, long[] padding, long[] dilation, long[] inputShape) : BoundNode
{
    private sealed record Selection(Tensor Index, Tensor Stable, Tensor LowerValue, Tensor UpperValue, Tensor ChosenSlot, Tensor Candidates, long[] OutputShape);

    public override Interval Ibp(Interval input, BoundRun run)
    {
        run.Record(this, input);
        Selection s = Select(run);
        return new Interval(s.LowerValue.reshape(s.OutputShape), s.UpperValue.reshape(s.OutputShape));
    }

    // Its input is an activation's output (or an affine map of one), whose bounds are already tightened: a
    // backward pass of its own would cost as much as the activation's and gain little.
    public override Interval Tighten(Interval input, Pullback toInput, BoundRun run)
    {
        run.InexactSteps++;
        return Ibp(input, run);
    }

    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        run.Record(this, input.Concretize(run.Region));
        Selection s = Select(run);
        Tensor stableRows = s.Stable.unsqueeze(1);
        Tensor[] coefficients = RowSlices.Map([input.Lower, input.Upper], rows =>
        {
            long batch = rows[0].shape[0];
            long count = rows[0].shape[1];
            long[] coefficientShape = new[] { batch, count }.Concat(s.OutputShape.Skip(1)).ToArray();
            Tensor index = s.Index.unsqueeze(1).expand(batch, count, -1, -1);
            Tensor lower = rows[0].flatten(3).gather(3, index);
            Tensor upper = where(stableRows, rows[1].flatten(3).gather(3, index), zeros_like(stableRows, dtype: rows[1].dtype));
            return [lower.reshape(coefficientShape), upper.reshape(coefficientShape)];
        }, run.Buffers);
        Tensor GatherConstant(Tensor constant) => constant.flatten(2).gather(2, s.Index);
        Tensor upperConstant = where(s.Stable, GatherConstant(input.UpperConstant), s.UpperValue);
        return LinearBounds.Of(
            coefficients[0],
            GatherConstant(input.LowerConstant).reshape(s.OutputShape),
            coefficients[1],
            upperConstant.reshape(s.OutputShape));
    }

    public override BackwardBound Backward(BackwardBound output, BoundRun run)
    {
        Selection s = Select(run);
        long batch = output.Coefficients.shape[0];
        long rows = output.Coefficients.shape[1];
        Tensor flat = output.Coefficients.flatten(3);
        Tensor positive = flat.PositivePart();
        Tensor negative = flat.NegativePart();
        Tensor stableRows = s.Stable.unsqueeze(1);
        Tensor routed = positive.Plus(where(stableRows, negative, zeros_like(negative)));
        Tensor index = s.Index.unsqueeze(1).expand(batch, rows, -1, -1);
        Tensor coefficients = zeros(batch, rows, inputShape[0], inputShape[1] * inputShape[2], dtype: flat.dtype, device: flat.device)
            .scatter_add_(3, index, routed)
            .reshape(new[] { batch, rows }.Concat(inputShape).ToArray());
        Tensor constant = output.Constant.Plus(where(stableRows, zeros_like(negative), negative.mul(s.UpperValue.unsqueeze(1))).flatten(2).sum(2));
        return new BackwardBound(coefficients, constant);
    }

    public override Interval JacobianRows(Interval rows, BoundRun run)
    {
        Selection s = Select(run);
        long batch = rows.Lower.shape[0];
        long classes = rows.Lower.shape[1];
        long slots = s.Candidates.shape[2];
        // [B, K, C, 1, L] cotangent intervals against [B, 1, C, kk, L] routing weights.
        Tensor lower = rows.Lower.flatten(3).unsqueeze(3);
        Tensor upper = rows.Upper.flatten(3).unsqueeze(3);
        Tensor chosen = nn.functional.one_hot(s.ChosenSlot, slots).to(lower.dtype).permute(0, 1, 3, 2).unsqueeze(1);   // [B, 1, C, kk, L]
        Tensor candidates = s.Candidates.unsqueeze(1);
        Tensor stable = s.Stable.unsqueeze(1).unsqueeze(3);
        Tensor lowerParts = where(stable, lower.mul(chosen), lower.NegativePart().mul(candidates));
        Tensor upperParts = where(stable, upper.mul(chosen), upper.PositivePart().mul(candidates));
        return new Interval(Fold(lowerParts, batch, classes), Fold(upperParts, batch, classes));
    }

    /// <summary>
    /// At the centre a stable window routes its row to its max, an unstable one 1/m of it to each of its m
    /// candidates. Over the ball an unstable window's row of E = S − S^c is e_k − (candidates)/m: its absolute
    /// sum is 2(1 − 1/m), and a position's column gathers at most 1 − 1/m from each unstable window it is a
    /// candidate of, so ‖Ê‖₂ ≤ √(‖Ê‖₁‖Ê‖_∞) (Schur) is the layer's spread.
    /// </summary>
    public override Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion)
    {
        Selection s = Select(expansion.Bounds);
        long count = rows.Count;
        long slots = s.Candidates.shape[2];
        Tensor unstable = s.Stable.logical_not()[0];                                   // [C, L]
        Tensor candidates = s.Candidates[0];                                           // [C, kk, L]
        Tensor share = candidates.div(candidates.sum(1, keepdim: true).ClampBelow(1));
        Tensor chosen = nn.functional.one_hot(s.ChosenSlot[0], slots).to(share.dtype).permute(0, 2, 1);
        Tensor weights = where(unstable.unsqueeze(1), share, chosen);
        Tensor parts = rows.Rows.flatten(2).unsqueeze(2).mul(weights.unsqueeze(0));  // [R, C, kk, L]
        Tensor pulled = Fold(parts.unsqueeze(0), 1, count).squeeze(0);

        Tensor varyingOutputs = unstable.flatten().nonzero().squeeze(1);
        Tensor varyingSlots = candidates.gt(zeros_like(candidates)).logical_and(unstable.unsqueeze(1));
        long plane = inputShape[1] * inputShape[2];
        Tensor channelOffset = tensor(Enumerable.Range(0, (int)inputShape[0]).Select(c => c * plane).ToArray()).reshape(-1, 1, 1);
        Tensor positions = SlotPositions(1)[0].Plus(channelOffset);
        Tensor varyingInputs = positions.masked_select(varyingSlots).unique().Item1;
        Tensor gap = ones_like(candidates.sum(1)).Minus(candidates.sum(1).ClampBelow(1).reciprocal()).mul(unstable.to(candidates.dtype));
        double rowSum = gap.max().item<double>() * 2;
        Tensor columns = zeros(inputShape[0] * inputShape[1] * inputShape[2], dtype: gap.dtype)
            .index_add_(0, positions.masked_select(varyingSlots), gap.unsqueeze(1).expand_as(candidates).masked_select(varyingSlots), Scalars.One);
        double spread = Math.Sqrt(rowSum * columns.max().item<double>());
        return expansion.Vary(rows, varyingOutputs, pulled, varyingInputs, ones(varyingInputs.shape[0], dtype: pulled.dtype), spread);
    }

    private Tensor Fold(Tensor parts, long batch, long classes)
    {
        long channels = inputShape[0];
        Tensor columns = parts.reshape(batch * classes * channels, parts.shape[3], parts.shape[4]);
        Tensor image = nn.functional.fold(columns, (inputShape[1], inputShape[2]), (kernel[0], kernel[1]),
            dilation: (dilation[0], dilation[1]), padding: (padding[0], padding[1]), stride: (stride[0], stride[1]));
        return image.reshape(batch, classes, channels, inputShape[1], inputShape[2]);
    }

    private Selection Select(BoundRun run) => run.RelaxationOf(this, bounds =>
    {
        Tensor lower = Windows(bounds.Lower);     // [B, C, kk, L]
        Tensor upper = Windows(bounds.Upper);
        long batch = lower.shape[0];
        Tensor positions = SlotPositions(batch);
        (Tensor lowerValue, Tensor chosenSlot) = lower.max(2);
        Tensor index = positions.gather(2, chosenSlot.unsqueeze(2)).squeeze(2);
        Tensor otherUpper = upper.scatter(2, chosenSlot.unsqueeze(2), chosenSlot.unsqueeze(2).to(upper.dtype).FilledLike(double.NegativeInfinity));
        Tensor stable = lowerValue.ge(otherUpper.amax(2));
        Tensor upperValue = upper.amax(2);
        Tensor candidates = upper.ge(lowerValue.unsqueeze(2)).to(lower.dtype);
        long outputHeight = (inputShape[1] + 2 * padding[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
        long outputWidth = (inputShape[2] + 2 * padding[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        return new Selection(index, stable, lowerValue, upperValue, chosenSlot, candidates,
            new[] { batch, inputShape[0], outputHeight, outputWidth });
    });

    /// <summary>[B, C, kk, L]: each window slot's position h·W + w in its channel (garbage where the slot is padding).</summary>
    private Tensor SlotPositions(long batch) =>
        Windows(tensor(Enumerable.Range(0, (int)(inputShape[1] * inputShape[2])).Select(i => (double)i).ToArray(), dtype: float64)
            .reshape(1, 1, inputShape[1], inputShape[2]).expand(batch, inputShape[0], -1, -1)).to(int64);

    /// <summary>[B, C, H, W] → [B, C, kk, L], positions outside the image at −∞ (never the max).</summary>
    private Tensor Windows(Tensor x)
    {
        long batch = x.shape[0];
        Tensor padded = nn.functional.pad(x, new[] { padding[1], padding[1], padding[0], padding[0] }, PaddingModes.Constant, double.NegativeInfinity);
        Tensor columns = nn.functional.unfold(padded.reshape(batch * inputShape[0], 1, padded.shape[2], padded.shape[3]),
            (kernel[0], kernel[1]), dilation: (dilation[0], dilation[1]), stride: (stride[0], stride[1]));
        return columns.reshape(batch, inputShape[0], columns.shape[1], columns.shape[2]);
    }
}

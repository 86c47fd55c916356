using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// A Conv2d (zero padding) with its float64 weight [out, in/groups, kh, kw] and bias; <paramref name="byTaps"/>: many-image
/// convolutions run as a <see cref="TapConvolution"/> where one covers them.
/// </summary>
internal sealed class ConvolutionNode(Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups, long[] inputSize, bool byTaps)
    : AffineNode
{
    private readonly Tensor _absoluteWeight = weight.abs();
    private readonly Tensor? _constant = bias?.reshape(1, -1, 1, 1);
    // Built with the node, in the certifier's scope: a pass's dispose scope would free them.
    private readonly TapConvolution? _taps = byTaps && TapConvolution.Covers(weight, stride, padding, dilation, groups) ? new TapConvolution(weight, padding) : null;
    private readonly TapConvolution? _absoluteTaps = byTaps && TapConvolution.Covers(weight, stride, padding, dilation, groups) ? new TapConvolution(weight.abs(), padding) : null;

    protected override Tensor? Constant => _constant;

    protected override Tensor Linear(Tensor v) => _taps is { } taps && v.shape[0] >= TapConvolution.MinimumImages ? taps.Apply(v) : Convolve(v, weight);

    protected override Tensor AbsoluteLinear(Tensor v) =>
        _absoluteTaps is { } taps && v.shape[0] >= TapConvolution.MinimumImages ? taps.Apply(v) : Convolve(v, _absoluteWeight);

    protected override Tensor Transpose(Tensor u) => Deconvolve(u, weight);

    protected override Tensor AbsoluteTranspose(Tensor u) => Deconvolve(u, _absoluteWeight);

    /// <summary>
    /// This convolution followed by y ↦ scale·y + shift per output channel (an eval BatchNorm) as one convolution:
    /// weight scale·W, bias scale·b + shift. Why: the forward linear bounds apply every layer to d rows, and a separate
    /// BatchNorm costs a pass over all of them. Zero padding happens before the convolution, so the composition is exact,
    /// and no bound loosens: the sign split of the folded map, |scale·W| = |scale|·|W|, is the two maps' split composed
    /// (IBP, forward, backward and Jacobian rows alike); only rounding differs.
    /// </summary>
    public ConvolutionNode FollowedBy(Tensor scale, Tensor shift)
    {
        Tensor perOutput = scale.reshape(-1, 1, 1, 1);
        Tensor foldedBias = bias is { } b ? b.mul(scale).Plus(shift) : shift;
        return new ConvolutionNode(weight.mul(perOutput), foldedBias, stride, padding, dilation, groups, inputSize, byTaps);
    }

    private Tensor Convolve(Tensor v, Tensor w) =>
        nn.functional.conv2d(v, w, strides: stride, padding: padding, dilation: dilation, groups: groups);

    // The transposed convolution lands on the input size only with the rows a strided forward pass skipped
    // added back as output padding.
    private Tensor Deconvolve(Tensor u, Tensor w)
    {
        long[] outputPadding = new long[2];
        for (int axis = 0; axis < 2; axis++)
        {
            long reached = (u.shape[2 + axis] - 1) * stride[axis] - 2 * padding[axis] + dilation[axis] * (w.shape[2 + axis] - 1) + 1;
            outputPadding[axis] = inputSize[axis] - reached;
        }
        return nn.functional.conv_transpose2d(u, w, null, stride, padding, outputPadding, dilation, groups);
    }
}

/// <summary>A Linear layer with its float64 weight [out, in] and bias.</summary>
internal sealed class LinearLayerNode(Tensor weight, Tensor? bias) : AffineNode
{
    private readonly Tensor _absoluteWeight = weight.abs();
    private readonly Tensor? _constant = bias?.reshape(1, -1);

    protected override Tensor? Constant => _constant;

    protected override Tensor Linear(Tensor v) => v.matmul(weight.t());

    protected override Tensor AbsoluteLinear(Tensor v) => v.matmul(_absoluteWeight.t());

    protected override Tensor Transpose(Tensor u) => u.matmul(weight);

    protected override Tensor AbsoluteTranspose(Tensor u) => u.matmul(_absoluteWeight);
}

/// <summary>
/// y = scale·x + shift per channel: an eval BatchNorm2d or the input normalisation. <paramref name="splitDirectly"/>: the
/// forward linear bounds take the sign split in one or two products per row (see <see cref="Forward"/>).
/// </summary>
internal sealed class ChannelAffineNode(Tensor scale, Tensor shift, bool splitDirectly) : AffineNode
{
    protected override bool Diagonal => true;

    private readonly Tensor _scale = scale.reshape(1, -1, 1, 1);
    private readonly Tensor _absoluteScale = scale.abs().reshape(1, -1, 1, 1);
    private readonly Tensor _positiveScale = scale.PositivePart().reshape(1, -1, 1, 1);
    private readonly Tensor _negativeScale = scale.NegativePart().reshape(1, -1, 1, 1);
    private readonly bool _nonnegative = scale.ge(zeros_like(scale)).all().item<bool>();
    private readonly Tensor _constant = shift.reshape(1, -1, 1, 1);

    protected override Tensor? Constant => _constant;

    /// <summary>
    /// A diagonal map's sign split directly: lower s⁺·L + s⁻·U + c, upper s⁺·U + s⁻·L + c — what the centre/radius form
    /// gives (s·(L + U)/2 ∓ |s|·(U − L)/2), in one or two products per row instead of six passes over d rows.
    /// </summary>
    public override LinearBounds Forward(LinearBounds input, BoundRun run)
    {
        if (input.Exact || !splitDirectly)
        {
            return base.Forward(input, run);
        }
        Tensor positive = _positiveScale.PerRow();
        Tensor negative = _negativeScale.PerRow();
        Tensor[] rows = RowSlices.Map([input.Lower, input.Upper], bounds => _nonnegative
            ? [bounds[0].mul(positive), bounds[1].mul(positive)]
            : [Split(bounds[0], bounds[1], positive, negative), Split(bounds[1], bounds[0], positive, negative)], run.Buffers);
        return LinearBounds.Of(
            rows[0], Split(input.LowerConstant, input.UpperConstant, _positiveScale, _negativeScale).Plus(_constant),
            rows[1], Split(input.UpperConstant, input.LowerConstant, _positiveScale, _negativeScale).Plus(_constant));
    }

    private static Tensor Split(Tensor same, Tensor other, Tensor positive, Tensor negative) => same.mul(positive).Plus(other.mul(negative));

    protected override Tensor Linear(Tensor v) => v.mul(_scale);

    protected override Tensor AbsoluteLinear(Tensor v) => v.mul(_absoluteScale);

    protected override Tensor Transpose(Tensor u) => u.mul(_scale);

    protected override Tensor AbsoluteTranspose(Tensor u) => u.mul(_absoluteScale);
}

/// <summary>
/// An average pool (AvgPool2d, AdaptiveAvgPool2d): linear with nonnegative weights, so |W| = W. Its
/// transpose is libtorch's backward of the same pool, taken on a fresh zero input of the right shape
/// (a linear map's vector-Jacobian product does not depend on the point).
/// </summary>
internal sealed class AveragePoolNode(Func<Tensor, Tensor> pool, long[] inputShape) : AffineNode
{
    protected override Tensor? Constant => null;

    protected override Tensor Linear(Tensor v) => pool(v);

    protected override Tensor AbsoluteLinear(Tensor v) => pool(v);

    protected override Tensor Transpose(Tensor u)
    {
        using var grad = enable_grad();
        Tensor at = zeros(new[] { u.shape[0] }.Concat(inputShape).ToArray(), dtype: u.dtype, device: u.device).requires_grad_(true);
        Tensor y = pool(at);
        // α-CROWN differentiates its bound through this map: then the transpose keeps its own graph (it is linear in u).
        Tensor transposed = autograd.grad(new[] { y }, new[] { at }, new[] { u }, create_graph: u.requires_grad)[0];
        return u.requires_grad ? transposed : transposed.detach();
    }

    protected override Tensor AbsoluteTranspose(Tensor u) => Transpose(u);
}

/// <summary>A reshape between two fixed feature shapes (Flatten).</summary>
internal sealed class ReshapeNode(long[] inputShape, long[] outputShape) : AffineNode
{
    protected override bool Diagonal => true;

    protected override Tensor? Constant => null;

    protected override Tensor Linear(Tensor v) => v.reshape(new[] { v.shape[0] }.Concat(outputShape).ToArray());

    protected override Tensor AbsoluteLinear(Tensor v) => Linear(v);

    protected override Tensor Transpose(Tensor u) => u.reshape(new[] { u.shape[0] }.Concat(inputShape).ToArray());

    protected override Tensor AbsoluteTranspose(Tensor u) => Transpose(u);
}

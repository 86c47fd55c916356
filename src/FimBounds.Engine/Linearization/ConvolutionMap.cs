using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// A Conv2d's weight as a linear map (its bias drops out of the Jacobian). J v is the convolution
/// itself. Jᵀ u has two implementations, and which is faster depends on the shape (measured here with
/// libtorch's own kernels, batch 64): libtorch's backward-data kernel (through <see cref="AutogradMap"/>)
/// scatters a column buffer of in·k² rows back into the image, while the forward convolution of u with
/// the weight's channels swapped and its kernel flipped (padding k − 1 − p; stride 1, no dilation, one
/// group) gathers a buffer of out·k² rows. The flipped form is taken for 1×1 kernels (no buffer at all;
/// 0.64–0.74× the backward kernel) and when a layer narrows its channels (out &lt; in: DenseNet's 48 → 12
/// at 0.43–0.50×, 32 → 16 at 0.74×); otherwise the backward kernel (flipped 1.0–1.9× of it, and far
/// slower once its buffer outgrows the heap). A fixed rule, not a timing, so results repeat bit for bit.
/// The backward kernel runs on a channels-last (NHWC) graph: libtorch's channels-last backward-data path
/// replaced the per-channel scalar col2im loop that made up about half of the NCHW kernel's time, and
/// measured here (batch 64, one thread, the mini zoo's shapes, side by side in one process on a loaded
/// machine, two runs) it took 0.16–0.85× the NCHW kernel's time, the least at 4×4 and 7×7 outputs — except
/// with one input channel (a stem on grey images), where NHWC is NCHW and the path only adds work (1.06–1.35×),
/// so that one stays NCHW. The forward output stays the model's NCHW convolution, so the recorded
/// activations are bit for bit the model's own.
/// </summary>
internal sealed class ConvolutionMap : LinearMap
{
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[] _dilation;
    private readonly long _groups;
    private readonly AutogradMap? _backwardKernel;
    private Tensor? _flipped;

    private ConvolutionMap(Tensor weight, long[] stride, long[] padding, long[] dilation, long groups, AutogradMap? backwardKernel)
    {
        Weight = weight;
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _groups = groups;
        _backwardKernel = backwardKernel;
    }

    /// <summary>[out, in / groups, kh, kw].</summary>
    public Tensor Weight { get; }

    /// <summary>
    /// Whether a neighbouring per-channel factor may fold into the weight: only with the flipped
    /// transpose, since the backward kernel's graph was recorded with the weight as it was.
    /// </summary>
    public bool CanFold => _backwardKernel is null;

    public bool IsUngrouped => _groups == 1;

    /// <summary>
    /// The convolution's map at <paramref name="input"/> and its output (with <paramref name="bias"/>,
    /// computed as the model computes it). With the backward kernel the output comes from the small
    /// autograd graph that kernel needs, so recording costs one convolution either way.
    /// </summary>
    public static ConvolutionMap Record(Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups, Tensor input, out Tensor output)
    {
        Tensor Convolve(Tensor v, Tensor? b) => nn.functional.conv2d(v, weight, b, strides: stride, padding: padding, dilation: dilation, groups: groups);
        if (Flippable(weight, stride, padding, dilation, groups))
        {
            output = Convolve(input, bias);
            return new ConvolutionMap(weight, stride, padding, dilation, groups, backwardKernel: null);
        }
        if (input.shape[1] == 1)
        {
            var direct = new AutogradMap(v => Convolve(v, bias), input, v => Convolve(v, null));
            output = direct.Output;
            return new ConvolutionMap(weight, stride, padding, dilation, groups, direct);
        }
        // The model's output in the model's layout (rounding, and so max-pooling ties downstream, as the model
        // has them); the transpose's graph on a channels-last copy, whose backward-data kernel is the fast one.
        output = Convolve(input, bias);
        var graph = new AutogradMap(v => Convolve(v, null), ChannelsLast(input));
        return new ConvolutionMap(weight, stride, padding, dilation, groups, graph);
    }

    /// <summary>This convolution followed by a per-channel factor s [1, out, 1, 1] (a BatchNorm): W[o] · s_o.</summary>
    public ConvolutionMap ScaleOutputs(Tensor perChannel) => Folded(Weight * perChannel.reshape(-1, 1, 1, 1));

    /// <summary>A per-channel factor s [1, in, 1, 1] followed by this (ungrouped) convolution: W[:, i] · s_i.</summary>
    public ConvolutionMap ScaleInputs(Tensor perChannel) => Folded(Weight * perChannel.reshape(1, -1, 1, 1));

    /// <summary>Builds the flipped kernel once the weight is final, inside the recording network's scope.</summary>
    public void PrepareTranspose()
    {
        if (CanFold)
        {
            _flipped ??= Weight.transpose(0, 1).flip(2, 3).contiguous();
        }
    }

    public override Tensor Apply(Tensor v) =>
        nn.functional.conv2d(v, Weight, strides: _stride, padding: _padding, dilation: _dilation, groups: _groups);

    public override Tensor Transpose(Tensor u)
    {
        if (_backwardKernel is { } graph)
        {
            return graph.Transpose(u);
        }
        Tensor flipped = _flipped ?? throw new InvalidOperationException("PrepareTranspose was not called");
        long[] padding = { Weight.shape[2] - 1 - _padding[0], Weight.shape[3] - 1 - _padding[1] };
        return nn.functional.conv2d(u, flipped, padding: padding);
    }

    private ConvolutionMap Folded(Tensor weight) => CanFold
        ? new ConvolutionMap(weight, _stride, _padding, _dilation, _groups, backwardKernel: null)
        : throw new InvalidOperationException("a convolution transposed by its backward kernel cannot fold a factor into its weight");

    /// <summary>The same values with the channels innermost in memory (NHWC strides), still shaped [B, C, H, W].</summary>
    private static Tensor ChannelsLast(Tensor input) => input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private static bool Flippable(Tensor weight, long[] stride, long[] padding, long[] dilation, long groups)
    {
        long kernelHeight = weight.shape[2];
        long kernelWidth = weight.shape[3];
        bool hasFlippedForm = groups == 1 && stride.All(s => s == 1) && dilation.All(d => d == 1) &&
                              padding[0] <= kernelHeight - 1 && padding[1] <= kernelWidth - 1;
        bool pointwiseOrNarrowing = kernelHeight * kernelWidth == 1 || weight.shape[0] < weight.shape[1];
        return hasFlippedForm && pointwiseOrNarrowing;
    }
}

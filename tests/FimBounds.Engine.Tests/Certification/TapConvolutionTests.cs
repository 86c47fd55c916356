using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>The tap-by-tap convolution equals libtorch's on the kernels, paddings and sizes it covers, and declines the rest.</summary>
public sealed class TapConvolutionTests
{
    public static TheoryData<long, long, long, long, long, long, long, long> Shapes => new()
    {
        // in, out, kh, kw, ph, pw, height, width
        { 8, 5, 3, 3, 1, 1, 10, 12 },
        { 9, 4, 1, 3, 0, 1, 7, 5 },
        { 8, 3, 5, 5, 2, 2, 9, 9 },
        { 12, 6, 3, 3, 0, 0, 8, 6 },
        { 8, 4, 2, 2, 1, 1, 5, 7 },
        { 16, 2, 3, 2, 2, 1, 4, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Equals_libtorchs_convolution(long inputs, long outputs, long kh, long kw, long ph, long pw, long height, long width)
    {
        using var scope = NewDisposeScope();
        Tensor weight = TestTensors.Pixels(1, outputs, inputs, kh, kw).Minus(0.5);
        Tensor images = TestTensors.Pixels(2, 11, inputs, height, width).Minus(0.3);
        long[] padding = [ph, pw];
        Assert.True(TapConvolution.Covers(weight, [1, 1], padding, [1, 1], 1));

        Tensor expected = nn.functional.conv2d(images, weight, padding: padding);
        Tensor actual = new TapConvolution(weight, padding).Apply(images);

        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<double>();
        Assert.True(actual.Minus(expected).abs().max().item<double>() <= 1e-13 * scale);
    }

    [Fact]
    public void Declines_strides_dilations_groups_thin_inputs_and_single_taps()
    {
        using var scope = NewDisposeScope();
        Tensor weight = zeros(4, 8, 3, 3, dtype: float64);
        Assert.False(TapConvolution.Covers(weight, [2, 2], [1, 1], [1, 1], 1));
        Assert.False(TapConvolution.Covers(weight, [1, 1], [1, 1], [2, 2], 1));
        Assert.False(TapConvolution.Covers(zeros(4, 4, 3, 3, dtype: float64), [1, 1], [1, 1], [1, 1], 2));
        Assert.False(TapConvolution.Covers(zeros(4, 4, 3, 3, dtype: float64), [1, 1], [1, 1], [1, 1], 1));
        Assert.False(TapConvolution.Covers(zeros(4, 8, 1, 1, dtype: float64), [1, 1], [0, 0], [1, 1], 1));
        Assert.False(TapConvolution.Covers(weight, [1, 1], [3, 1], [1, 1], 1));
    }
}

using FimBounds.Engine.Norms;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>The certified convolution norm brackets the true operator norm, computed by a dense SVD on tiny inputs.</summary>
public sealed class ConvolutionNormTests
{
    // in, out, kernel, stride, padding, groups, height, width
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 3, 1, 1, 1, 6, 6 },
        { 3, 4, 3, 2, 1, 1, 7, 7 },
        { 2, 2, 1, 2, 0, 1, 6, 6 },     // 1×1 strided (ResNet downsample)
        { 1, 5, 4, 4, 0, 1, 8, 8 },     // non-overlapping (patch embedding)
        { 4, 4, 3, 1, 1, 2, 5, 5 },     // grouped
        { 2, 3, 3, 1, 0, 1, 5, 7 },     // no padding, rectangular
        { 2, 2, 5, 1, 2, 1, 3, 3 },     // kernel larger than the input
        { 2, 3, 3, 3, 1, 1, 8, 8 },     // stride 3
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Certified_norm_brackets_the_dense_singular_value(int cin, int cout, int k, int s, int p, int groups, int h, int w)
    {
        var geometry = new ConvolutionGeometry(cin, cout, k, k, s, p, groups, h, w);
        using var generator = new Generator((ulong)(cin * 1000 + cout * 100 + k * 10 + s));
        Tensor weight = randn(new long[] { cout, cin / groups, k, k }, dtype: float64, generator: generator);

        double truth = DenseSigma(weight, geometry);
        OperatorNorm norm = ConvolutionNorm.Certify(weight, geometry);

        Assert.True(norm.Upper >= truth, $"upper {norm.Upper} < true {truth}: the certificate is unsound");
        Assert.True(norm.Lower <= truth * (1 + 1e-12), $"lower {norm.Lower} > true {truth}");
        Assert.True(norm.Lower >= truth * (1 - 1e-6), $"power iteration stopped early: {norm.Lower} vs {truth}");
        Assert.True(norm.Upper <= truth * 2.0, $"upper {norm.Upper} is loose against {truth}");
    }

    [Fact]
    public void Adjoint_is_the_transpose_of_the_convolution()
    {
        var g = new ConvolutionGeometry(3, 4, 3, 3, 2, 1, 1, 7, 6);
        Tensor weight = TestTensors.Pixels(1, 4, 3, 3, 3) - 0.5;
        Tensor x = TestTensors.Pixels(2, 1, 3, 7, 6);
        Tensor y = TestTensors.Pixels(3, 1, 4, g.OutputHeight, g.OutputWidth);
        double left = (ConvolutionNorm.Apply(weight, g, x) * y).sum().item<double>();
        double right = (x * ConvolutionNorm.Adjoint(weight, g, y)).sum().item<double>();
        Assert.Equal(left, right, Math.Abs(left) * 1e-12);
    }

    [Fact]
    public void Non_overlapping_convolution_norm_equals_the_reshaped_kernel_norm()
    {
        // Patch embedding: kernel = stride, the operator is block diagonal with one block per patch.
        var g = new ConvolutionGeometry(1, 6, 4, 4, 4, 0, 1, 8, 8);
        Tensor weight = TestTensors.Pixels(4, 6, 1, 4, 4) - 0.5;
        double reshaped = MatrixNorm.Spectral(weight.reshape(6, -1)).Lower;
        OperatorNorm norm = ConvolutionNorm.Certify(weight, g);
        Assert.Equal(reshaped, norm.Lower, reshaped * 1e-9);
        Assert.InRange(norm.Upper, reshaped, reshaped * (1 + TorusSpectrumBound.Slack));   // exact up to the certificate's slack
    }

    [Fact]
    public void Matrix_norm_equals_the_largest_singular_value()
    {
        Tensor m = TestTensors.Pixels(5, 7, 13) - 0.5;
        double expected = linalg.svdvals(m).max().item<double>();
        OperatorNorm norm = MatrixNorm.Spectral(m);
        Assert.Equal(expected, norm.Lower, expected * 1e-12);
        Assert.True(norm.Upper >= expected);
        Assert.Equal(expected, MatrixNorm.Spectral(m.t()).Lower, expected * 1e-12);
    }

    /// <summary>σ_max of the convolution's dense matrix, built column by column from the standard basis.</summary>
    private static double DenseSigma(Tensor weight, ConvolutionGeometry g)
    {
        using var scope = NewDisposeScope();
        long n = g.InputSize;
        Tensor basis = eye(n, dtype: float64).reshape(n, g.InChannels, g.InputHeight, g.InputWidth);
        Tensor columns = ConvolutionNorm.Apply(weight, g, basis).reshape(n, -1);     // row i = A e_i
        return linalg.svdvals(columns).max().item<double>();
    }
}

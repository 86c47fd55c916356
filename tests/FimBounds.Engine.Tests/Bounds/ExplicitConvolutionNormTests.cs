using FimBounds.Engine.Bounds;
using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>The explicit-matrix norm of a small convolution is the dense SVD's σ_max, bounds it from above, and is never above the torus certificate.</summary>
public sealed class ExplicitConvolutionNormTests
{
    // in, out, kernel, stride, padding, groups, height, width: both sides smaller in turn, strided, grouped, 7×7 with padding.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 3, 1, 1, 1, 6, 6 },
        { 6, 2, 3, 1, 1, 1, 7, 7 },
        { 3, 4, 3, 2, 1, 1, 7, 7 },
        { 4, 4, 3, 1, 1, 2, 5, 5 },
        { 2, 3, 3, 3, 1, 1, 8, 8 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Explicit_norm_is_the_dense_singular_value_and_below_the_torus_bound(int cin, int cout, int k, int s, int p, int groups, int h, int w)
    {
        var geometry = new ConvolutionGeometry(cin, cout, k, k, s, p, groups, h, w);
        using var generator = new Generator((ulong)(cin * 1000 + cout * 100 + k * 10 + s + 7));
        Tensor weight = randn(new long[] { cout, cin / groups, k, k }, dtype: float64, generator: generator);

        double truth = DenseSigma(weight, geometry);
        OperatorNorm norm = ExplicitConvolutionNorm.TryCompute(weight, geometry)
            ?? throw new InvalidOperationException("a tiny convolution must be computed explicitly");

        Assert.True(norm.Upper >= truth, $"upper {norm.Upper} < true {truth}: unsound");
        Assert.True(norm.Upper <= truth * (1 + 1e-8), $"upper {norm.Upper} is not the exact {truth}");
        Assert.True(norm.Upper <= ConvolutionNorm.Certify(weight, geometry).Upper * (1 + 1e-8), "the explicit norm must never exceed the torus certificate");
    }

    [Fact]
    public void Large_convolutions_are_left_to_the_torus_certificate()
    {
        var geometry = new ConvolutionGeometry(48, 12, 3, 3, 1, 1, 1, 14, 14);   // 2352 × 9408: too large
        Assert.False(ExplicitConvolutionNorm.Applies(geometry));
        Assert.True(ExplicitConvolutionNorm.Applies(geometry with { InputHeight = 7, InputWidth = 7 }));   // 588 × 2352
    }

    /// <summary>σ_max by a full SVD of the dense matrix built from the convolution of each basis vector.</summary>
    private static double DenseSigma(Tensor weight, ConvolutionGeometry g)
    {
        using var scope = NewDisposeScope();
        long n = g.InputSize;
        Tensor basis = eye(n, dtype: float64).reshape(n, g.InChannels, g.InputHeight, g.InputWidth);
        Tensor columns = nn.functional.conv2d(basis, weight, null, strides: new long[] { g.Stride, g.Stride },
            padding: new long[] { g.Padding, g.Padding }, groups: g.Groups).reshape(n, -1);
        return linalg.svdvals(columns).max().item<double>();
    }
}

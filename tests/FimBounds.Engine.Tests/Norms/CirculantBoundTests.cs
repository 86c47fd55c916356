using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>
/// The Cholesky-certified circulant bound is the exact torus maximum (checked against an SVD at every
/// frequency of the zero-padded kernel's DFT), whatever level the certification starts from, and stays
/// above what the zero-padded operator attains on inputs too large for a dense SVD.
/// </summary>
public sealed class CirculantBoundTests
{
    // in, out, kernel, padding, height, width (stride 1: the torus side is max(H + p, H_out))
    public static TheoryData<int, int, int, int, int, int> StrideOne => new()
    {
        { 3, 5, 3, 1, 6, 6 },
        { 4, 3, 3, 0, 5, 7 },
        { 6, 6, 5, 2, 9, 8 },
        { 2, 7, 2, 1, 4, 4 },
        { 32, 32, 3, 1, 16, 16 },     // 153 frequencies with nearly equal tops, where the trace ranks poorly
    };

    [Theory]
    [MemberData(nameof(StrideOne))]
    public void Bound_equals_the_largest_singular_value_over_the_torus_frequencies(int cin, int cout, int k, int p, int h, int w)
    {
        using var scope = NewDisposeScope();
        var g = new ConvolutionGeometry(cin, cout, k, k, 1, p, 1, h, w);
        using var generator = new Generator((ulong)(cin * 100 + cout * 10 + k));
        Tensor weight = randn(new long[] { cout, cin, k, k }, dtype: float64, generator: generator);
        double truth = TorusNorm(weight, g.TorusHeight, g.TorusWidth);
        double attained = ConvolutionNorm.AttainedNorm(weight, g, 30);

        foreach (double level in new[] { 0.0, attained, attained * 0.5 })
        {
            double bound = ConvolutionNorm.CirculantUpperBound(weight, g, level);
            Assert.True(bound >= truth, $"bound {bound} < torus norm {truth} (level {level}): unsound");
            Assert.True(bound <= truth * (1 + TorusSpectrumBound.Slack), $"bound {bound} is not the torus norm {truth} (level {level})");
        }
    }

    [Theory]
    [InlineData(16, 16, 3, 1, 1, 28)]     // VGG/ResNet body
    [InlineData(8, 16, 3, 2, 1, 28)]      // strided
    [InlineData(3, 12, 7, 2, 3, 32)]      // ResNet stem
    [InlineData(32, 24, 3, 1, 1, 7)]      // small input: the torus is larger than the image
    public void Bound_stays_above_the_norm_attained_at_full_size(int cin, int cout, int k, int s, int p, int size)
    {
        using var scope = NewDisposeScope();
        var g = new ConvolutionGeometry(cin, cout, k, k, s, p, 1, size, size);
        using var generator = new Generator((ulong)(cin * 1000 + cout + size));
        Tensor weight = randn(new long[] { cout, cin, k, k }, dtype: float64, generator: generator);

        OperatorNorm norm = ConvolutionNorm.Certify(weight, g, lanczosSteps: 8);
        double attained = ConvolutionNorm.AttainedNorm(weight, g, 100, seed: 5);

        Assert.True(norm.Upper >= attained, $"upper {norm.Upper} < attained {attained}: unsound");
        Assert.True(norm.Upper >= norm.Lower);
        // Eight steps from the torus's top mode reach what a hundred from noise do.
        Assert.True(norm.Lower >= attained * (1 - 1e-3), $"lower {norm.Lower} after 8 steps from the plane wave is below {attained} (100 random-start steps)");
        Assert.True(norm.Upper <= attained * 1.1, $"upper {norm.Upper} is loose against attained {attained}");
    }

    /// <summary>max over the DFT grid of σ_max of the C_out × C_in block: the circular convolution's norm on the torus.</summary>
    private static double TorusNorm(Tensor weight, int mh, int mw)
    {
        using var scope = NewDisposeScope();
        Tensor spectrum = fft.fft2(weight, new long[] { mh, mw }).permute(2, 3, 0, 1).reshape(mh * mw, weight.shape[0], weight.shape[1]);
        return linalg.svdvals(spectrum).max().item<double>();
    }
}

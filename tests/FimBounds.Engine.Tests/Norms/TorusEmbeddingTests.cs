using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>
/// The torus the certificate works on: the zero-padded convolution is exactly the circular one on a torus of
/// side <see cref="ConvolutionGeometry.TorusHeight"/> with the image embedded and the kept outputs read out
/// (the step the upper bound rests on), and one frequency of each conjugate pair covers the whole grid.
/// </summary>
public sealed class TorusEmbeddingTests
{
    // in, out, kernel, stride, padding, height, width
    public static TheoryData<int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 3, 1, 1, 7, 7 },
        { 2, 3, 3, 2, 1, 8, 7 },
        { 1, 2, 7, 2, 3, 12, 11 },     // ResNet stem
        { 2, 2, 5, 1, 2, 3, 3 },       // kernel larger than the input
        { 2, 3, 3, 3, 1, 8, 10 },      // stride 3
        { 1, 2, 2, 1, 3, 5, 4 },       // padding larger than the kernel: more outputs than H + p
        { 2, 2, 4, 2, 0, 9, 9 },       // no padding, an input row never read
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Zero_padded_convolution_is_the_circular_one_restricted(int cin, int cout, int k, int s, int p, int h, int w)
    {
        using var scope = NewDisposeScope();
        var g = new ConvolutionGeometry(cin, cout, k, k, s, p, 1, h, w);
        using var generator = new Generator((ulong)(cin * 1000 + k * 100 + s * 10 + p));
        Tensor weight = randn(new long[] { cout, cin, k, k }, dtype: float64, generator: generator);
        Tensor x = randn(new long[] { 1, cin, h, w }, dtype: float64, generator: generator);

        Tensor zeroPadded = ConvolutionNorm.Apply(weight, g, x);
        Tensor circular = Circular(weight, x, g.TorusHeight, g.TorusWidth, s, p);

        Assert.True(g.TorusHeight % s == 0 && g.TorusWidth % s == 0);
        Assert.Equal(0, zeroPadded.Minus(circular.narrow(2, 0, g.OutputHeight).narrow(3, 0, g.OutputWidth)).abs().max().item<double>(), 1e-12);
    }

    [Fact]
    public void A_torus_one_cell_smaller_wraps_pixels_around()
    {
        // The negative control: with N = H + p − 1 the first output reads the last image column through the wrap.
        using var scope = NewDisposeScope();
        var g = new ConvolutionGeometry(1, 1, 3, 3, 1, 1, 1, 6, 6);
        Tensor weight = ones(new long[] { 1, 1, 3, 3 }, dtype: float64);
        Tensor x = ones(new long[] { 1, 1, 6, 6 }, dtype: float64);
        Tensor circular = Circular(weight, x, g.TorusHeight - 1, g.TorusWidth - 1, 1, 1);
        Assert.NotEqual(ConvolutionNorm.Apply(weight, g, x)[0, 0, 0, 0].item<double>(), circular[0, 0, 0, 0].item<double>());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(7, 3)]
    [InlineData(6, 1)]
    public void Representatives_cover_every_frequency_once_up_to_conjugation(int mh, int mw)
    {
        using var scope = NewDisposeScope();
        Tensor angles = TorusFrequencies.Representatives(mh, mw);
        var kept = new HashSet<(long, long)>();
        for (long i = 0; i < angles.shape[0]; i++)
        {
            kept.Add((Cell(angles[i, 0].item<double>(), mh), Cell(angles[i, 1].item<double>(), mw)));
        }
        Assert.Equal(angles.shape[0], kept.Count);
        for (long u = 0; u < mh; u++)
        {
            for (long v = 0; v < mw; v++)
            {
                bool self = kept.Contains((u, v));
                bool mirror = kept.Contains(((mh - u) % mh, (mw - v) % mw));
                Assert.True(self || mirror, $"frequency ({u}, {v}) has no representative");
                Assert.False(self && mirror && ((mh - u) % mh != u || (mw - v) % mw != v), $"frequency ({u}, {v}) is kept twice");
            }
        }
    }

    private static long Cell(double angle, long size) => (long)Math.Round(angle * size / (2 * Math.PI));

    /// <summary>
    /// The stride-s circular convolution on an nh × nw torus holding the image at its top-left corner:
    /// y_i = Σ_a K_a x_{(s·i + a − p) mod n}, read from a 3 × 3 tiling of the torus starting at n − p.
    /// </summary>
    private static Tensor Circular(Tensor weight, Tensor x, int nh, int nw, int s, int p)
    {
        Tensor torus = nn.functional.pad(x, new long[] { 0, nw - x.shape[3], 0, nh - x.shape[2] });
        Tensor tiled = torus.repeat(1, 1, 3, 3).narrow(2, nh - p, 2 * nh + p).narrow(3, nw - p, 2 * nw + p);
        return nn.functional.conv2d(tiled, weight, null, strides: new long[] { s, s }).narrow(2, 0, nh / s).narrow(3, 0, nw / s);
    }
}

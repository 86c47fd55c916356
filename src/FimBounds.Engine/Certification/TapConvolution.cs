using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// A stride-1, undilated, ungrouped convolution over many images at once as one matrix product per kernel tap. The
/// images are laid out channel-first on a zero-padded grid [C, n·Hp·Wp] (plus a tail of (kh−1)·Wp + kw − 1 zeros), so
/// the tap (a, b) reads the grid shifted by a·Wp + b: out[:, q] = Σ_ab W_ab · grid[:, q + a·Wp + b] for every grid
/// position q, of which the output keeps the first Ho×Wo of each image. Why: the forward linear bounds convolve d rows
/// per layer, where libtorch's float64 convolution runs one small product per image on an unfolded copy nine times the
/// input's size; here each tap is one product with n·Hp·Wp columns (measured on one thread: 48→12 channels, 3×3,
/// 14×14, 784 images 317 → 138 ms; 16→16 at 28×28 503 → 211 ms). The sums are the same products in another order.
/// </summary>
internal sealed class TapConvolution
{
    /// <summary>Fewer input channels make each tap's product too thin to pay for the grid (1→32 channels: 238 → 591 ms).</summary>
    public const long MinimumInputChannels = 8;

    /// <summary>Batches below this go to libtorch's convolution (the interval passes convolve one image).</summary>
    public const long MinimumImages = 8;

    private readonly Tensor _taps;
    private readonly long[] _padding;

    /// <param name="weight">[O, C, kh, kw].</param>
    public TapConvolution(Tensor weight, long[] padding)
    {
        _taps = weight.permute(2, 3, 0, 1).contiguous();
        _padding = padding;
    }

    /// <summary>Whether a convolution of these parameters can run here.</summary>
    public static bool Covers(Tensor weight, long[] stride, long[] padding, long[] dilation, long groups) =>
        groups == 1 && stride.All(s => s == 1) && dilation.All(d => d == 1) && weight.shape[1] >= MinimumInputChannels
        && weight.shape[2] * weight.shape[3] > 1 && padding[0] < weight.shape[2] && padding[1] < weight.shape[3];

    /// <summary>The convolution of <paramref name="images"/> [n, C, H, W]: [n, O, Ho, Wo].</summary>
    public Tensor Apply(Tensor images)
    {
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        long kh = _taps.shape[0], kw = _taps.shape[1], outputs = _taps.shape[2];
        long gridHeight = height + 2 * _padding[0], gridWidth = width + 2 * _padding[1];
        long positions = n * gridHeight * gridWidth;
        Tensor grid = zeros(channels, positions + (kh - 1) * gridWidth + kw - 1, dtype: images.dtype, device: images.device);
        grid.narrow(1, 0, positions).view(channels, n, gridHeight, gridWidth)
            .narrow(2, _padding[0], height).narrow(3, _padding[1], width)
            .copy_(images.permute(1, 0, 2, 3));
        Tensor result = zeros(outputs, positions, dtype: images.dtype, device: images.device);
        for (long a = 0; a < kh; a++)
        {
            for (long b = 0; b < kw; b++)
            {
                result.addmm_(_taps[a, b], grid.narrow(1, a * gridWidth + b, positions), 1, 1);
            }
        }
        return result.view(outputs, n, gridHeight, gridWidth)
            .narrow(2, 0, gridHeight - kh + 1).narrow(3, 0, gridWidth - kw + 1)
            .permute(1, 0, 2, 3);
    }
}

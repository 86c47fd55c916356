using FimBounds.Core.Architecture;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Data;

/// <summary>
/// The per-channel input normalisation z = (x − mean)/std, declared rather than baked into the data,
/// so datasets and attacks stay in pixel space [0,1] (ε is a pixel budget, the clamp is to [0,1]) and
/// the model applies the transform as its first layer. <see cref="Invert"/> maps back exactly.
/// </summary>
public sealed record Normalization
{
    public Normalization(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"mean ({mean.Count} values) and std ({std.Count} values) need one value per channel");
        }
        if (std.Any(s => !(s > 0) || double.IsInfinity(s)))
        {
            throw new ArgumentException("every standard deviation must be positive and finite (the transform must be invertible)");
        }
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    public IReadOnlyList<double> Mean { get; }

    public IReadOnlyList<double> Std { get; }

    public int Channels => Mean.Count;

    /// <summary>The identity transform for <paramref name="channels"/> channels.</summary>
    public static Normalization Identity(int channels) =>
        new(Enumerable.Repeat(0.0, channels).ToArray(), Enumerable.Repeat(1.0, channels).ToArray());

    /// <summary>The normalisation a spec declares as its <see cref="Normalize"/> layer (null when it has none).</summary>
    public static Normalization? FromDescription(ArchitectureDescription description) =>
        description.PrimitiveLayers().OfType<Normalize>().FirstOrDefault() is { } layer ? new Normalization(layer.Mean, layer.Std) : null;

    /// <summary>Per-channel mean and (population) standard deviation of a dataset's pixels in [0,1].</summary>
    public static Normalization Measure(ImageDataset dataset)
    {
        int channels = dataset.Channels;
        int plane = dataset.Height * dataset.Width;
        double[] sum = new double[channels];
        double[] sumSquares = new double[channels];
        ReadOnlySpan<byte> pixels = dataset.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            int channel = i / plane % channels;
            double value = pixels[i] / 255.0;
            sum[channel] += value;
            sumSquares[channel] += value * value;
        }
        double n = (double)dataset.Count * plane;
        double[] mean = sum.Select(s => s / n).ToArray();
        double[] std = sumSquares.Select((s, c) => Math.Sqrt(Math.Max(s / n - mean[c] * mean[c], 1e-12))).ToArray();
        return new Normalization(mean, std);
    }

    /// <summary>(x − mean)/std over the channel axis of an N×C×… tensor.</summary>
    public Tensor Apply(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor std) = Constants(pixels);
        return ((pixels - mean) / std).MoveToOuterDisposeScope();
    }

    /// <summary>z·std + mean: the exact inverse of <see cref="Apply"/>.</summary>
    public Tensor Invert(Tensor normalised)
    {
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor std) = Constants(normalised);
        return normalised.mul(std).Plus(mean).MoveToOuterDisposeScope();
    }

    /// <summary>A module applying the transform, to put in front of a model that has no Normalize layer.</summary>
    public nn.Module<Tensor, Tensor> ToModule() => new NormalizationModule(this);

    public override string ToString() =>
        $"(x − [{string.Join(", ", Mean.Select(m => m.ToString("G4")))}]) / [{string.Join(", ", Std.Select(s => s.ToString("G4")))}]";

    public bool Equals(Normalization? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    public override int GetHashCode() => HashCode.Combine(Channels, Mean[0], Std[0]);

    private (Tensor Mean, Tensor Std) Constants(Tensor like)
    {
        if (like.dim() < 2 || like.shape[1] != Channels)
        {
            throw new ArgumentException($"expected an N×{Channels}×… tensor, got shape [{string.Join(", ", like.shape)}]");
        }
        long[] shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[1] = Channels;
        Tensor mean = tensor(Mean.ToArray(), dtype: like.dtype, device: like.device).reshape(shape);
        Tensor std = tensor(Std.ToArray(), dtype: like.dtype, device: like.device).reshape(shape);
        return (mean, std);
    }

    private sealed class NormalizationModule : nn.Module<Tensor, Tensor>
    {
        private readonly Normalization _normalization;

        public NormalizationModule(Normalization normalization) : base("normalize") => _normalization = normalization;

        public override Tensor forward(Tensor input) => _normalization.Apply(input);
    }
}

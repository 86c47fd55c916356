using FimBounds.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Data;

/// <summary>
/// Labelled images held as bytes (one byte per pixel and channel, C×H×W per image, as IDX and
/// CIFAR-10 store them), turned into float tensors in pixel space [0,1] one batch at a time. Bytes keep
/// the full Fashion-MNIST at 47 MB instead of 188 MB of floats and need no disposal.
/// </summary>
public sealed class ImageDataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    public ImageDataset(string name, byte[] pixels, byte[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (channels <= 0 || height <= 0 || width <= 0)
        {
            throw new ArgumentException($"image shape {channels}×{height}×{width} must be positive");
        }
        int perImage = channels * height * width;
        if (pixels.Length != (long)labels.Length * perImage)
        {
            throw new ArgumentException($"{pixels.Length} pixel bytes do not hold {labels.Length} images of {perImage} bytes");
        }
        int bad = Array.FindIndex(labels, l => l >= classNames.Count);
        if (bad >= 0)
        {
            throw new InputException($"{name}: label {labels[bad]} of item {bad} is not one of the {classNames.Count} classes; the labels file does not belong to this dataset.");
        }
        Name = name;
        _pixels = pixels;
        _labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    public string Name { get; }

    public int Count => _labels.Length;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int PixelsPerImage => Channels * Height * Width;

    public IReadOnlyList<string> ClassNames { get; }

    public int Classes => ClassNames.Count;

    public ReadOnlySpan<byte> Pixels => _pixels;

    public ReadOnlySpan<byte> AllLabels => _labels;

    public ReadOnlySpan<byte> Image(int index) => _pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    public int Label(int index) => _labels[index];

    /// <summary>How many items each class has.</summary>
    public int[] ClassCounts()
    {
        int[] counts = new int[Classes];
        foreach (byte label in _labels)
        {
            counts[label]++;
        }
        return counts;
    }

    /// <summary>The items at <paramref name="indices"/>, in that order (copied).</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        int perImage = PixelsPerImage;
        byte[] pixels = new byte[indices.Count * perImage];
        byte[] labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int source = indices[i];
            if ((uint)source >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {source} is outside 0…{Count - 1}");
            }
            Image(source).CopyTo(pixels.AsSpan(i * perImage, perImage));
            labels[i] = _labels[source];
        }
        return new ImageDataset(name ?? Name, pixels, labels, Channels, Height, Width, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> items (all of them when count is null or larger).</summary>
    public ImageDataset Take(int? count) =>
        count is null || count.Value >= Count ? this : Subset(Enumerable.Range(0, Math.Max(0, count.Value)).ToArray());

    /// <summary>Images <paramref name="indices"/> as an N×C×H×W tensor of pixels in [0,1].</summary>
    public Tensor Images(ReadOnlySpan<int> indices, ScalarType dtype = ScalarType.Float32)
    {
        int perImage = PixelsPerImage;
        float[] values = new float[indices.Length * perImage];
        for (int i = 0; i < indices.Length; i++)
        {
            ReadOnlySpan<byte> image = Image(indices[i]);
            Span<float> target = values.AsSpan(i * perImage, perImage);
            for (int p = 0; p < perImage; p++)
            {
                target[p] = image[p] / 255f;
            }
        }
        Tensor batch = tensor(values, new long[] { indices.Length, Channels, Height, Width });
        return dtype == ScalarType.Float32 ? batch : batch.to_type(dtype);
    }

    /// <summary>Labels <paramref name="indices"/> as an int64 tensor (what cross_entropy expects).</summary>
    public Tensor Labels(ReadOnlySpan<int> indices)
    {
        long[] values = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            values[i] = _labels[indices[i]];
        }
        return tensor(values);
    }

    /// <summary>Consecutive items start … start+count−1 as (images, labels).</summary>
    public (Tensor Images, Tensor Labels) Batch(int start, int count, ScalarType dtype = ScalarType.Float32)
    {
        int[] indices = Enumerable.Range(start, Math.Min(count, Count - start)).ToArray();
        return (Images(indices, dtype), Labels(indices));
    }

    /// <summary>SHA-256 of the shape, labels and pixels ("sha256:…"): identifies the data a model was trained on.</summary>
    public string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Count}:{Channels}x{Height}x{Width}:{Classes};"));
        hash.AppendData(_labels);
        hash.AppendData(_pixels);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public override string ToString() => $"{Name}: {Count} images {Channels}×{Height}×{Width}, {Classes} classes";
}

using FimBounds.Core.Errors;

namespace FimBounds.Data.Cifar;

/// <summary>
/// CIFAR-10's binary format ("CIFAR-10 binary version"): records of 1 label byte followed by 3,072
/// pixel bytes — the 1,024 red, then green, then blue values of a 32×32 image, row-major — which is
/// exactly the C×H×W byte layout of <see cref="ImageDataset"/>. Training data is data_batch_1.bin …
/// data_batch_5.bin, test data test_batch.bin.
/// </summary>
public static class Cifar10Binary
{
    public const int Side = 32;
    public const int Channels = 3;
    public const int PixelBytes = Channels * Side * Side;
    public const int RecordBytes = 1 + PixelBytes;

    public static readonly IReadOnlyList<string> ClassNames =
    [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ];

    /// <summary>Per-channel statistics of the CIFAR-10 training set (pixel scale [0,1]).</summary>
    public static readonly Normalization Normalization = new([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]);

    public static IReadOnlyList<string> FileNames(DataSplit split) => split switch
    {
        DataSplit.Train => Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray(),
        DataSplit.Test => ["test_batch.bin"],
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>A split from a directory holding the .bin files (as in cifar-10-binary.tar.gz's cifar-10-batches-bin/).</summary>
    public static ImageDataset Load(string directory, DataSplit split)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException($"{directory}: no such directory. Pass --data with the extracted cifar-10-batches-bin directory.");
        }
        IReadOnlyList<string> names = FileNames(split);
        var missing = names.Where(n => !File.Exists(Path.Combine(directory, n))).ToArray();
        if (missing.Length > 0)
        {
            throw new InputException(
                $"{directory}: missing {string.Join(", ", missing)}. The directory must hold CIFAR-10's binary version " +
                "(data_batch_1.bin … data_batch_5.bin, test_batch.bin), not the Python or MATLAB version.");
        }
        ImageDataset[] parts = names.Select(n => ReadFile(Path.Combine(directory, n))).ToArray();
        return parts.Length == 1 ? parts[0] : Concatenate($"cifar-10/{(split == DataSplit.Train ? "train" : "test")}", parts);
    }

    /// <summary>One .bin file of records.</summary>
    public static ImageDataset ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: file not found.");
        }
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new InputException($"{path}: cannot be read ({e.Message}).", e);
        }
        if (content.Length == 0)
        {
            throw new InputException($"{path}: the file is empty; a CIFAR-10 batch holds records of {RecordBytes} bytes.");
        }
        if (content.Length % RecordBytes != 0)
        {
            string hint = content.Length % (RecordBytes + 1) == 0
                ? " Its size fits CIFAR-100's records (2 label bytes), which this reader does not read."
                : " The file is truncated or not CIFAR-10's binary version.";
            throw new InputException(
                $"{path}: {content.Length} bytes is not a whole number of {RecordBytes}-byte records " +
                $"({content.Length / RecordBytes} full records and {content.Length % RecordBytes} bytes left over).{hint}");
        }
        int count = content.Length / RecordBytes;
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * PixelBytes];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> record = content.AsSpan(i * RecordBytes, RecordBytes);
            if (record[0] >= ClassNames.Count)
            {
                throw new InputException($"{path}: record {i} has label {record[0]}, but CIFAR-10 labels are 0–9; the file is corrupt or from another dataset.");
            }
            labels[i] = record[0];
            record[1..].CopyTo(pixels.AsSpan(i * PixelBytes, PixelBytes));
        }
        return new ImageDataset($"cifar-10/{Path.GetFileNameWithoutExtension(path)}", pixels, labels, Channels, Side, Side, ClassNames);
    }

    /// <summary>Writes records in the binary format (used by tests and for exporting subsets), atomically.</summary>
    public static void WriteFile(string path, ImageDataset dataset)
    {
        if (dataset.Channels != Channels || dataset.Height != Side || dataset.Width != Side)
        {
            throw new ArgumentException($"CIFAR-10 records hold 3×32×32 images, not {dataset.Channels}×{dataset.Height}×{dataset.Width}");
        }
        byte[] content = new byte[dataset.Count * RecordBytes];
        for (int i = 0; i < dataset.Count; i++)
        {
            content[i * RecordBytes] = (byte)dataset.Label(i);
            dataset.Image(i).CopyTo(content.AsSpan(i * RecordBytes + 1, PixelBytes));
        }
        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static ImageDataset Concatenate(string name, IReadOnlyList<ImageDataset> parts)
    {
        int total = parts.Sum(p => p.Count);
        byte[] pixels = new byte[total * PixelBytes];
        byte[] labels = new byte[total];
        int offset = 0;
        foreach (ImageDataset part in parts)
        {
            part.Pixels.CopyTo(pixels.AsSpan(offset * PixelBytes));
            part.AllLabels.CopyTo(labels.AsSpan(offset));
            offset += part.Count;
        }
        return new ImageDataset(name, pixels, labels, Channels, Side, Side, ClassNames);
    }
}

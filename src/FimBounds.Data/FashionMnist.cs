using System.Reflection;
using FimBounds.Core.Errors;
using FimBounds.Data.Idx;

namespace FimBounds.Data;

public enum DataSplit
{
    Train,
    Test,
}

/// <summary>
/// Fashion-MNIST (Zalando, MIT licence): 28×28 grey-scale clothing images in 10 classes, 60,000 for
/// training and 10,000 for testing, in IDX files. Loads the full set from a directory (Debian's
/// dataset-fashion-mnist package installs it at <see cref="DebianDirectory"/>) or the stratified
/// subset embedded in this assembly, which needs no installation.
/// </summary>
public static class FashionMnist
{
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public const int ImageSize = 28;

    public static readonly IReadOnlyList<string> ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>Per-pixel mean and standard deviation of the 60,000 training images (pixel scale [0,1]).</summary>
    public static readonly Normalization Normalization = new([0.2860], [0.3530]);

    /// <summary>The IDX base names; a file may carry a ".gz" suffix.</summary>
    public static (string Images, string Labels) FileNames(DataSplit split) => split switch
    {
        DataSplit.Train => ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        DataSplit.Test => ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>Both splits from a directory holding the four IDX files (raw or .gz).</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(string directory) =>
        (Load(directory, DataSplit.Train), Load(directory, DataSplit.Test));

    /// <summary>One split from a directory holding its IDX files (raw or .gz).</summary>
    public static ImageDataset Load(string directory, DataSplit split)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException(
                $"{directory}: no such directory. Pass --data with the directory holding the Fashion-MNIST IDX files " +
                $"(Debian: apt install dataset-fashion-mnist → {DebianDirectory}), or omit --data to use the embedded subset.");
        }
        (string imagesName, string labelsName) = FileNames(split);
        string imagesPath = Locate(directory, imagesName);
        string labelsPath = Locate(directory, labelsName);
        return FromIdx($"fashion-mnist/{Name(split)}", imagesPath, IdxFile.ReadImages(imagesPath), labelsPath, IdxFile.ReadLabels(labelsPath));
    }

    /// <summary>Both splits of the stratified subset embedded in this assembly (see Embedded/README.md).</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadEmbedded() =>
        (LoadEmbedded(DataSplit.Train), LoadEmbedded(DataSplit.Test));

    public static ImageDataset LoadEmbedded(DataSplit split)
    {
        (string imagesName, string labelsName) = FileNames(split);
        string imagesSource = EmbeddedName(imagesName + ".gz");
        string labelsSource = EmbeddedName(labelsName + ".gz");
        return FromIdx(
            $"fashion-mnist-subset/{Name(split)}",
            imagesSource, IdxFile.ParseImages(imagesSource, ReadResource(imagesSource)),
            labelsSource, IdxFile.ParseLabels(labelsSource, ReadResource(labelsSource)));
    }

    /// <summary>Writes a split as IDX files (gzip) with the standard names into <paramref name="directory"/>.</summary>
    public static void Save(ImageDataset dataset, string directory, DataSplit split)
    {
        if (dataset.Channels != 1 || dataset.Height != ImageSize || dataset.Width != ImageSize)
        {
            throw new ArgumentException($"Fashion-MNIST IDX files hold 1×28×28 images, not {dataset.Channels}×{dataset.Height}×{dataset.Width}");
        }
        (string imagesName, string labelsName) = FileNames(split);
        IdxFile.WriteImages(Path.Combine(directory, imagesName + ".gz"), dataset.Pixels, dataset.Count, dataset.Height, dataset.Width);
        IdxFile.WriteLabels(Path.Combine(directory, labelsName + ".gz"), dataset.AllLabels);
    }

    internal const string EmbeddedPrefix = "FimBounds.Data.Embedded.";

    private static string EmbeddedName(string fileName) => EmbeddedPrefix + fileName;

    private static string Name(DataSplit split) => split == DataSplit.Train ? "train" : "test";

    private static byte[] ReadResource(string name)
    {
        using Stream stream = typeof(FashionMnist).Assembly.GetManifestResourceStream(name)
            ?? throw new InputException($"the embedded resource {name} is missing from {typeof(FashionMnist).Assembly.GetName().Name}; the build is incomplete (run 'fimbounds data make-subset' and rebuild).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Locate(string directory, string baseName)
    {
        foreach (string candidate in new[] { baseName, baseName + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new InputException(
            $"{directory}: neither {baseName} nor {baseName}.gz is there. The directory must hold Fashion-MNIST's four IDX files " +
            "(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, raw or .gz).");
    }

    private static ImageDataset FromIdx(
        string name,
        string imagesSource, (byte[] Pixels, int Count, int Rows, int Columns) images,
        string labelsSource, byte[] labels)
    {
        if (images.Rows != ImageSize || images.Columns != ImageSize)
        {
            throw new InputException($"{imagesSource}: images are {images.Rows}×{images.Columns}, but Fashion-MNIST images are 28×28; this is another dataset.");
        }
        if (images.Count != labels.Length)
        {
            throw new InputException(
                $"{imagesSource} holds {images.Count} images but {labelsSource} holds {labels.Length} labels; " +
                "the two files must come from the same split and release.");
        }
        int bad = Array.FindIndex(labels, l => l >= ClassNames.Count);
        if (bad >= 0)
        {
            throw new InputException($"{labelsSource}: label {labels[bad]} at item {bad} is not a class 0–9; the labels file is corrupt.");
        }
        return new ImageDataset(name, images.Pixels, labels, 1, ImageSize, ImageSize, ClassNames);
    }
}

using FimBounds.Core.Errors;
using FimBounds.Data.Cifar;

namespace FimBounds.Data;

/// <summary>Where the commands' <c>--data</c> option points, resolved to a train and a test split.</summary>
public sealed record LoadedData(ImageDataset Train, ImageDataset Test, string Source)
{
    public override string ToString() => $"{Source}: {Train.Count} training / {Test.Count} test images";
}

/// <summary>
/// Resolves <c>--data</c>: nothing or "embedded" = the embedded Fashion-MNIST subset; "fashion-mnist" =
/// Debian's installed copy; a directory = Fashion-MNIST IDX files or CIFAR-10 binary batches, whichever it holds.
/// </summary>
public static class DatasetLoader
{
    public const string Embedded = "embedded";
    public const string InstalledFashionMnist = "fashion-mnist";

    public static LoadedData Load(string? data)
    {
        if (string.IsNullOrWhiteSpace(data) || data.Equals(Embedded, StringComparison.OrdinalIgnoreCase))
        {
            (ImageDataset train, ImageDataset test) = FashionMnist.LoadEmbedded();
            return new LoadedData(train, test, "embedded Fashion-MNIST subset");
        }
        string directory = data.Equals(InstalledFashionMnist, StringComparison.OrdinalIgnoreCase) ? FashionMnist.DebianDirectory : data;
        if (!Directory.Exists(directory))
        {
            throw new InputException(
                $"--data {data}: no such directory. Use a directory with Fashion-MNIST IDX files or CIFAR-10 binary batches, " +
                $"'{InstalledFashionMnist}' for {FashionMnist.DebianDirectory} (apt install dataset-fashion-mnist), or omit --data for the embedded subset.");
        }
        if (Cifar10Binary.FileNames(DataSplit.Test).All(n => File.Exists(Path.Combine(directory, n))))
        {
            return new LoadedData(Cifar10Binary.Load(directory, DataSplit.Train), Cifar10Binary.Load(directory, DataSplit.Test), $"CIFAR-10 at {directory}");
        }
        (ImageDataset fullTrain, ImageDataset fullTest) = FashionMnist.Load(directory);
        return new LoadedData(fullTrain, fullTest, $"Fashion-MNIST at {directory}");
    }
}

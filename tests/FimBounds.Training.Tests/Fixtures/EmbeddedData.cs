using FimBounds.Data;

namespace FimBounds.Training.Tests.Fixtures;

/// <summary>The embedded Fashion-MNIST subset, decoded once per test run.</summary>
public static class EmbeddedData
{
    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Splits = new(FashionMnist.LoadEmbedded);

    public static ImageDataset Train => Splits.Value.Train;

    public static ImageDataset Test => Splits.Value.Test;
}

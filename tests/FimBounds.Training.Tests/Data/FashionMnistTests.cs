using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Data.Idx;
using FimBounds.Training.Tests.Fixtures;

namespace FimBounds.Training.Tests.Data;

public sealed class FashionMnistTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private void WriteSplit(DataSplit split, int images, int labels, int side = 28, bool gzip = true)
    {
        (string imagesName, string labelsName) = FashionMnist.FileNames(split);
        string suffix = gzip ? ".gz" : "";
        IdxFile.WriteImages(_temp.File(imagesName + suffix), new byte[images * side * side], images, side, side);
        IdxFile.WriteLabels(_temp.File(labelsName + suffix), Enumerable.Range(0, labels).Select(i => (byte)(i % 10)).ToArray());
    }

    [Fact]
    public void Embedded_subset_is_stratified_5000_and_1000_images()
    {
        ImageDataset train = EmbeddedData.Train;
        ImageDataset test = EmbeddedData.Test;

        Assert.Equal((5000, 1000), (train.Count, test.Count));
        Assert.All(train.ClassCounts(), c => Assert.Equal(500, c));
        Assert.All(test.ClassCounts(), c => Assert.Equal(100, c));
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
    }

    [Fact]
    public void Embedded_subset_has_fashion_mnist_pixel_statistics()
    {
        Normalization measured = Normalization.Measure(EmbeddedData.Train);

        // The full training set: mean 0.2860, std 0.3530; a 5,000-image stratified sample is close.
        Assert.InRange(measured.Mean[0], 0.2860 - 0.01, 0.2860 + 0.01);
        Assert.InRange(measured.Std[0], 0.3530 - 0.01, 0.3530 + 0.01);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_a_directory_of_raw_or_gzip_files(bool gzip)
    {
        WriteSplit(DataSplit.Train, 20, 20, gzip: gzip);
        WriteSplit(DataSplit.Test, 10, 10, gzip: gzip);

        var (train, test) = FashionMnist.Load(_temp.Path);

        Assert.Equal((20, 10), (train.Count, test.Count));
        Assert.Equal(9, train.Label(19));
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        WriteSplit(DataSplit.Test, 10, 9);

        var error = Assert.Throws<InputException>(() => FashionMnist.Load(_temp.Path, DataSplit.Test));

        Assert.Contains("10 images", error.Message);
        Assert.Contains("9 labels", error.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void Images_of_another_size_are_rejected()
    {
        WriteSplit(DataSplit.Test, 4, 4, side: 32);

        var error = Assert.Throws<InputException>(() => FashionMnist.Load(_temp.Path, DataSplit.Test));

        Assert.Contains("32×32", error.Message);
    }

    [Fact]
    public void Labels_outside_the_ten_classes_are_rejected()
    {
        WriteSplit(DataSplit.Test, 2, 2);
        IdxFile.WriteLabels(_temp.File("t10k-labels-idx1-ubyte.gz"), new byte[] { 3, 12 });

        var error = Assert.Throws<InputException>(() => FashionMnist.Load(_temp.Path, DataSplit.Test));

        Assert.Contains("label 12", error.Message);
    }

    [Fact]
    public void A_directory_without_the_files_lists_what_it_needs()
    {
        var error = Assert.Throws<InputException>(() => FashionMnist.Load(_temp.Path, DataSplit.Train));

        Assert.Contains("train-images-idx3-ubyte", error.Message);
    }

    [RequiresFashionMnistFact]
    public void Make_subset_reproduces_the_embedded_files_byte_for_byte()
    {
        EmbeddedSubset.Make(FashionMnist.DebianDirectory, _temp.Path);

        foreach (DataSplit split in new[] { DataSplit.Train, DataSplit.Test })
        {
            ImageDataset made = FashionMnist.Load(_temp.Path, split);
            ImageDataset embedded = FashionMnist.LoadEmbedded(split);
            Assert.True(made.Pixels.SequenceEqual(embedded.Pixels));
            Assert.True(made.AllLabels.SequenceEqual(embedded.AllLabels));
        }
    }
}

using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Data.Cifar;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Data;

public sealed class Cifar10BinaryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Records written by hand in the published layout: label byte, 1024 R, 1024 G, 1024 B.</summary>
    private static byte[] Records(params (byte Label, byte Red, byte Green, byte Blue)[] images)
    {
        var bytes = new List<byte>();
        foreach (var (label, red, green, blue) in images)
        {
            bytes.Add(label);
            bytes.AddRange(Enumerable.Repeat(red, 1024));
            bytes.AddRange(Enumerable.Repeat(green, 1024));
            bytes.AddRange(Enumerable.Repeat(blue, 1024));
        }
        return bytes.ToArray();
    }

    [Fact]
    public void Reads_labels_and_channel_planes()
    {
        File.WriteAllBytes(_temp.File("test_batch.bin"), Records((3, 255, 0, 51), (9, 0, 102, 255)));

        ImageDataset data = Cifar10Binary.ReadFile(_temp.File("test_batch.bin"));

        Assert.Equal(2, data.Count);
        Assert.Equal((3, 9), (data.Label(0), data.Label(1)));
        Assert.Equal("cat", data.ClassNames[data.Label(0)]);
        using var scope = NewDisposeScope();
        Tensor images = data.Images(new[] { 0, 1 });
        Assert.Equal(new long[] { 2, 3, 32, 32 }, images.shape);
        Assert.Equal(1.0f, images[0, 0, 5, 7].item<float>());
        Assert.Equal(0.2f, images[0, 2, 31, 0].item<float>(), 6);
        Assert.Equal(0.4f, images[1, 1, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void Training_split_concatenates_the_five_batches_in_order()
    {
        for (int i = 1; i <= 5; i++)
        {
            File.WriteAllBytes(_temp.File($"data_batch_{i}.bin"), Records(((byte)i, 0, 0, 0), ((byte)(i + 4), 1, 1, 1)));
        }

        ImageDataset train = Cifar10Binary.Load(_temp.Path, DataSplit.Train);

        Assert.Equal(10, train.Count);
        Assert.Equal(new[] { 1, 5, 2, 6, 3, 7, 4, 8, 5, 9 }, Enumerable.Range(0, 10).Select(train.Label));
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        File.WriteAllBytes(_temp.File("a.bin"), Records((1, 10, 20, 30), (2, 40, 50, 60)));
        ImageDataset original = Cifar10Binary.ReadFile(_temp.File("a.bin"));

        Cifar10Binary.WriteFile(_temp.File("b.bin"), original);

        Assert.Equal(File.ReadAllBytes(_temp.File("a.bin")), File.ReadAllBytes(_temp.File("b.bin")));
    }

    [Fact]
    public void Partial_record_is_reported_with_the_record_count()
    {
        File.WriteAllBytes(_temp.File("test_batch.bin"), Records((1, 0, 0, 0), (2, 0, 0, 0))[..^100]);

        var error = Assert.Throws<InputException>(() => Cifar10Binary.ReadFile(_temp.File("test_batch.bin")));

        Assert.Contains("1 full records", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Cifar100_sized_records_get_a_hint()
    {
        File.WriteAllBytes(_temp.File("train.bin"), new byte[3074 * 2]);

        var error = Assert.Throws<InputException>(() => Cifar10Binary.ReadFile(_temp.File("train.bin")));

        Assert.Contains("CIFAR-100", error.Message);
    }

    [Fact]
    public void Label_beyond_nine_is_rejected()
    {
        File.WriteAllBytes(_temp.File("test_batch.bin"), Records((4, 0, 0, 0), (10, 0, 0, 0)));

        var error = Assert.Throws<InputException>(() => Cifar10Binary.ReadFile(_temp.File("test_batch.bin")));

        Assert.Contains("record 1 has label 10", error.Message);
    }

    [Fact]
    public void Empty_file_and_missing_batches_are_reported()
    {
        File.WriteAllBytes(_temp.File("test_batch.bin"), []);
        File.WriteAllBytes(_temp.File("data_batch_1.bin"), Records((0, 0, 0, 0)));

        Assert.Contains("empty", Assert.Throws<InputException>(() => Cifar10Binary.ReadFile(_temp.File("test_batch.bin"))).Message);
        var missing = Assert.Throws<InputException>(() => Cifar10Binary.Load(_temp.Path, DataSplit.Train));
        Assert.Contains("missing data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin.", missing.Message);
    }

    [Fact]
    public void Dataset_loader_recognises_a_cifar_directory()
    {
        for (int i = 1; i <= 5; i++)
        {
            File.WriteAllBytes(_temp.File($"data_batch_{i}.bin"), Records((0, 0, 0, 0)));
        }
        File.WriteAllBytes(_temp.File("test_batch.bin"), Records((1, 0, 0, 0), (2, 0, 0, 0)));

        LoadedData loaded = DatasetLoader.Load(_temp.Path);

        Assert.Equal((5, 2), (loaded.Train.Count, loaded.Test.Count));
        Assert.Contains("CIFAR-10", loaded.Source);
    }
}

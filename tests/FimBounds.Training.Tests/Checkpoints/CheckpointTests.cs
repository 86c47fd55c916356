using FimBounds.Core.Errors;
using FimBounds.Nn.Checkpoints;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CheckpointMetadata MetadataFor(TinyCnnSpec spec) => new()
    {
        SpecName = spec.Name,
        StructureHash = StructureHash.Of(spec.Description),
        AdversarialTraining = "pgd",
        Epochs = 3,
        TrainingSamples = 123,
        TestAccuracy = 0.75,
        Seed = 9,
        Dataset = "unit",
    };

    [Fact]
    public void Save_then_load_restores_the_weights_and_metadata()
    {
        var spec = new TinyCnnSpec();
        manual_seed(4);
        using var model = spec.CreateModel();
        string path = _temp.File("tiny.ckpt");
        Checkpoint.Save(path, model, MetadataFor(spec));

        manual_seed(5); // a different initialisation, overwritten by the load
        var (loaded, metadata) = Checkpoint.Load(path, spec);
        using var _ = loaded;

        using var scope = NewDisposeScope();
        Tensor x = rand(3, 1, 28, 28);
        model.eval();
        Assert.True(TensorAssert.Identical(model.call(x), loaded.call(x)));
        Assert.Equal(MetadataFor(spec), metadata);
        Assert.False(loaded.training);
        Assert.Single(Directory.GetFiles(_temp.Path)); // no temp file left behind
    }

    [Fact]
    public void Metadata_can_be_read_without_the_weights()
    {
        var spec = new TinyCnnSpec();
        using var model = spec.CreateModel();
        Checkpoint.Save(_temp.File("a.ckpt"), model, MetadataFor(spec));

        Assert.Equal(0.75, Checkpoint.ReadMetadata(_temp.File("a.ckpt")).TestAccuracy);
    }

    [Fact]
    public void Loading_into_another_spec_names_both_and_the_fix()
    {
        var trainedFor = new TinyCnnSpec("tiny-a");
        using var model = trainedFor.CreateModel();
        Checkpoint.Save(_temp.File("a.ckpt"), model, MetadataFor(trainedFor));

        var error = Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("a.ckpt"), new TinyCnnSpec("tiny-b")));

        Assert.Contains("'tiny-a'", error.Message);
        Assert.Contains("'tiny-b'", error.Message);
        Assert.Contains("fimbounds train tiny-b", error.Message);
    }

    [Fact]
    public void Loading_after_the_structure_changed_is_detected_before_the_weights()
    {
        var before = new TinyCnnSpec("tiny", channels1: 8);
        using var model = before.CreateModel();
        Checkpoint.Save(_temp.File("a.ckpt"), model, MetadataFor(before));

        var error = Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("a.ckpt"), new TinyCnnSpec("tiny", channels1: 6)));

        Assert.Contains("earlier structure", error.Message);
        Assert.Contains("Retrain", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_reported()
    {
        File.WriteAllText(_temp.File("notes.txt"), "hello");

        var error = Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("notes.txt"), new TinyCnnSpec()));

        Assert.Contains("not a FimBounds checkpoint", error.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_reported()
    {
        var spec = new TinyCnnSpec();
        using var model = spec.CreateModel();
        Checkpoint.Save(_temp.File("a.ckpt"), model, MetadataFor(spec));
        byte[] whole = File.ReadAllBytes(_temp.File("a.ckpt"));
        File.WriteAllBytes(_temp.File("cut.ckpt"), whole[..(whole.Length - 200)]);
        File.WriteAllBytes(_temp.File("header-cut.ckpt"), whole[..40]);

        Assert.Contains("corrupt", Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("cut.ckpt"), spec)).Message);
        Assert.Contains("truncated", Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("header-cut.ckpt"), spec)).Message);
    }

    [Fact]
    public void A_missing_checkpoint_says_how_to_make_one()
    {
        var error = Assert.Throws<InputException>(() => Checkpoint.Load(_temp.File("none.ckpt"), new TinyCnnSpec()));

        Assert.Contains("fimbounds train", error.Message);
    }
}

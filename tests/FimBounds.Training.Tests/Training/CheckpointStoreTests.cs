using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Training;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly TrainingOptions Tiny = new() { Epochs = 1, Samples = 128, TestSamples = 100, Seed = 3 };

    [Fact]
    public void The_second_request_loads_the_cached_model()
    {
        var store = new CheckpointStore(_temp.Path);
        var spec = new TinyCnnSpec();

        using TrainedModel first = store.GetOrTrain(spec, EmbeddedData.Train, EmbeddedData.Test, Tiny);
        using TrainedModel second = store.GetOrTrain(spec, EmbeddedData.Train, EmbeddedData.Test, Tiny);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Metadata, second.Metadata);
        using var scope = NewDisposeScope();
        (Tensor x, _) = EmbeddedData.Test.Batch(0, 5);
        using var noGrad = no_grad();
        Assert.True(TensorAssert.Identical(first.Model.call(x), second.Model.call(x)));
    }

    [Fact]
    public void Different_options_spec_or_data_get_different_keys()
    {
        var spec = new TinyCnnSpec();
        string key = CheckpointStore.Key(spec, EmbeddedData.Train, Tiny);

        Assert.Equal(key, CheckpointStore.Key(new TinyCnnSpec(), EmbeddedData.Train, Tiny with { }));
        Assert.NotEqual(key, CheckpointStore.Key(spec, EmbeddedData.Train, Tiny with { Epochs = 2 }));
        Assert.NotEqual(key, CheckpointStore.Key(spec, EmbeddedData.Train, Tiny with { Adversarial = AdversarialTraining.Pgd }));
        Assert.NotEqual(key, CheckpointStore.Key(new TinyCnnSpec(channels2: 12), EmbeddedData.Train, Tiny));
        Assert.NotEqual(key, CheckpointStore.Key(spec, EmbeddedData.Test, Tiny));
    }

    [Fact]
    public void A_damaged_cache_entry_is_retrained_and_replaced()
    {
        var store = new CheckpointStore(_temp.Path);
        var spec = new TinyCnnSpec();
        string path = store.PathFor(spec, EmbeddedData.Train, Tiny);
        Directory.CreateDirectory(_temp.Path);
        File.WriteAllText(path, "garbage");

        using TrainedModel model = store.GetOrTrain(spec, EmbeddedData.Train, EmbeddedData.Test, Tiny);

        Assert.False(model.FromCache);
        using TrainedModel? cached = store.TryLoad(spec, EmbeddedData.Train, Tiny);
        Assert.NotNull(cached);
    }
}

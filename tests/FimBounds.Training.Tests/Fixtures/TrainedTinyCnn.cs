using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Fixtures;

/// <summary>The attack and KL tests share one trained model (trained once per test run).</summary>
[CollectionDefinition(Name)]
public sealed class TrainedTinyCnnCollection : ICollectionFixture<TrainedTinyCnn>
{
    public const string Name = "trained tiny CNN";
}

/// <summary>A tiny CNN trained briefly (2 epochs on 2,000 embedded images, seed 1), shared by the attack tests.</summary>
public sealed class TrainedTinyCnn : IDisposable
{
    public TrainedTinyCnn()
    {
        Trained = Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test,
            new TrainingOptions { Epochs = 2, Samples = 2000, TestSamples = 500, Seed = 1 });
    }

    public TrainedModel Trained { get; }

    public nn.Module<Tensor, Tensor> Model => Trained.Model;

    public void Dispose() => Trained.Dispose();
}

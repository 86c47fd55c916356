using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Training;

public sealed class TrainerTests
{
    private static readonly TrainingOptions Short = new() { Epochs = 1, Samples = 640, TestSamples = 300, Seed = 7 };

    private static float[] Outputs(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor x, _) = EmbeddedData.Test.Batch(0, 4);
        return model.call(x).data<float>().ToArray();
    }

    [Fact]
    public void A_short_seeded_run_learns()
    {
        var spec = new TinyCnnSpec();
        manual_seed(Short.Seed);
        double before;
        using (var untrained = spec.CreateModel())
        {
            before = Evaluation.Accuracy(untrained, EmbeddedData.Test, 300);
            Assert.InRange(before, 0.0, 0.25); // chance is 0.1
        }

        using TrainedModel trained = Trainer.Train(spec, EmbeddedData.Train, EmbeddedData.Test, Short);

        // Ten Adam steps on 640 images: well above chance, far from converged.
        Assert.True(trained.TestAccuracy > before + 0.2, $"accuracy {before:P1} → {trained.TestAccuracy:P1}");
        Assert.Equal(trained.TestAccuracy, Evaluation.Accuracy(trained.Model, EmbeddedData.Test, 300));
        Assert.Single(trained.History);
        Assert.True(trained.History[0].TrainAccuracy > 0.2);
        Assert.Equal(640, trained.Metadata.TrainingSamples);
        Assert.Equal("none", trained.Metadata.AdversarialTraining);
        Assert.Equal(Short.CanonicalText(), trained.Metadata.TrainingOptions);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        var spec = new TinyCnnSpec();
        var options = Short with { Samples = 256, Epochs = 1 };

        using TrainedModel first = Trainer.Train(spec, EmbeddedData.Train, EmbeddedData.Test, options);
        using TrainedModel second = Trainer.Train(spec, EmbeddedData.Train, EmbeddedData.Test, options);
        using TrainedModel other = Trainer.Train(spec, EmbeddedData.Train, EmbeddedData.Test, options with { Seed = 8 });

        Assert.Equal(Outputs(first.Model), Outputs(second.Model));
        Assert.NotEqual(Outputs(first.Model), Outputs(other.Model));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, LearningRateSchedule.Cosine)]
    [InlineData(OptimizerKind.Adam, LearningRateSchedule.Constant)]
    public void Other_optimisers_and_schedules_train_too(OptimizerKind optimizer, LearningRateSchedule schedule)
    {
        var options = Short with { Optimizer = optimizer, Schedule = schedule, LearningRate = optimizer == OptimizerKind.Sgd ? 0.05 : 2e-3 };

        using TrainedModel trained = Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test, options);

        Assert.InRange(trained.TestAccuracy, 0.3, 1.0);
    }

    [Fact]
    public void Pgd_training_runs_and_is_recorded()
    {
        var options = Short with { Adversarial = AdversarialTraining.Pgd, AdversarialSteps = 2 };

        using TrainedModel trained = Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test, options);

        Assert.Equal("pgd", trained.Metadata.AdversarialTraining);
        Assert.Contains("advSteps=2", trained.Metadata.TrainingOptions);
        Assert.InRange(trained.TestAccuracy, 0.2, 1.0);
    }

    [Fact]
    public void Progress_is_reported_per_batch_and_per_epoch()
    {
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress<TrainingProgress>(reports.Add);

        using TrainedModel trained = Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test,
            Short with { Samples = 128, BatchSize = 32, Epochs = 2 }, progress);

        Assert.Equal(2 * (4 + 1), reports.Count);
        Assert.Equal(8, reports[^1].TotalSteps);
        Assert.Equal(8, reports[^1].TotalStep);
        Assert.Equal(2, reports.Count(r => r.TestAccuracy is not null));
    }

    [Fact]
    public void Training_hands_the_callers_libtorch_thread_count_back()
    {
        int callerThreads = get_num_threads();
        set_num_threads(3);
        try
        {
            using TrainedModel trained = Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test, Short with { Samples = 64, Epochs = 1, Threads = 1 });

            Assert.Equal(3, get_num_threads());
        }
        finally
        {
            set_num_threads(callerThreads);
        }
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Step == 2)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Train(new TinyCnnSpec(), EmbeddedData.Train, EmbeddedData.Test, Short, progress, cancel.Token));
    }

    [Fact]
    public void A_spec_for_other_images_is_rejected_with_both_shapes()
    {
        var cifarLike = new ImageDataset("rgb", new byte[3 * 32 * 32], [0], 3, 32, 32, Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray());

        var error = Assert.Throws<InputException>(() => Trainer.Train(new TinyCnnSpec(), cifarLike, cifarLike, Short));

        Assert.Contains("1×28×28", error.Message);
        Assert.Contains("3×32×32", error.Message);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

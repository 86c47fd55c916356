using FimBounds.Nn.Specs;
using FimBounds.Torch;
using FimBounds.Training.Tests.Fixtures;
using FimBounds.Zoo;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Training;

/// <summary>
/// Models trained side by side on worker threads (libtorch at one thread each, as rank and demo train them) get
/// bit for bit the weights of the same models trained one after another on one thread. vgg-mini's dropout and every
/// model's initialisation draw from libtorch's one default generator, so this holds only because each training
/// draws through its own <see cref="DefaultGeneratorStream"/>.
/// </summary>
public sealed class SideBySideTrainingTests
{
    private static readonly TrainingOptions Small = new() { Epochs = 1, Samples = 320, TestSamples = 50, Seed = 5, Threads = 1 };

    private static readonly (IModelSpec Spec, TrainingOptions Options)[] Jobs =
    [
        (ZooCatalog.Find("vgg-mini"), Small),
        (ZooCatalog.Find("vgg-mini"), Small with { Adversarial = AdversarialTraining.Pgd, AdversarialSteps = 2, Seed = 6 }),
        (new TinyCnnSpec(), Small),
    ];

    /// <summary>Every parameter and buffer of the trained model, by name, as plain values (the model is disposed on the thread that made it).</summary>
    private static Dictionary<string, float[]> TrainedWeights(IModelSpec spec, TrainingOptions options)
    {
        using TrainedModel trained = Trainer.Train(spec, EmbeddedData.Train, EmbeddedData.Test, options);
        return trained.Model.state_dict()
            .Where(p => p.Value.dtype == ScalarType.Float32)
            .ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
    }

    [Fact]
    public void Two_workers_train_the_weights_one_worker_trains_at_one_thread()
    {
        var jobs = Jobs.Select(j => (Func<Dictionary<string, float[]>>)(() => TrainedWeights(j.Spec, j.Options))).ToList();
        int callerThreads = get_num_threads();
        set_num_threads(1);
        Dictionary<string, float[]>[] alone;
        try
        {
            alone = SingleThreadedWorkers.Run(jobs, workers: 1);
        }
        finally
        {
            set_num_threads(callerThreads);
        }

        Dictionary<string, float[]>[] sideBySide = SingleThreadedWorkers.Run(jobs, workers: 2);

        for (int i = 0; i < jobs.Count; i++)
        {
            Assert.Equal(alone[i].Keys, sideBySide[i].Keys);
            foreach (var (name, values) in alone[i])
            {
                Assert.True(values.SequenceEqual(sideBySide[i][name]), $"job {i}: {name} differs");
            }
        }
    }

    [Fact]
    public void A_stream_draws_what_a_lone_seeded_generator_draws_while_another_thread_reseeds_it()
    {
        float[] Alone()
        {
            using Generator generator = manual_seed(11);
            using var scope = NewDisposeScope();
            return cat([rand(4), rand(4)]).data<float>().ToArray();
        }
        float[] expected = Alone();

        // The other thread reseeds the default generator and draws between this thread's two draws.
        float[] Interleaved(bool throughStream)
        {
            using var between = new Barrier(2);
            float[]? drawn = null;
            var other = new Thread(() =>
            {
                between.SignalAndWait();
                using (Generator generator = manual_seed(99))
                using (var scope = NewDisposeScope())
                {
                    rand(16);
                }
                between.SignalAndWait();
            });
            other.Start();
            using (var stream = throughStream ? new DefaultGeneratorStream(11) : null)
            using (var scope = NewDisposeScope())
            {
                using Generator? seeded = throughStream ? null : manual_seed(11);
                Tensor first = stream is null ? rand(4) : stream.Use(() => rand(4));
                between.SignalAndWait();
                between.SignalAndWait();
                Tensor second = stream is null ? rand(4) : stream.Use(() => rand(4));
                drawn = cat([first, second]).data<float>().ToArray();
            }
            other.Join();
            return drawn;
        }

        Assert.NotEqual(expected, Interleaved(throughStream: false));
        Assert.Equal(expected, Interleaved(throughStream: true));
    }
}

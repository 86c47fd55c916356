using FimBounds.Data;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using FimBounds.Training;
using FimBounds.Training.Attacks;
using FimBounds.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>
/// Issue 12's stress test: the real code paths — a PGD-training step of every mini model, every attack,
/// an exact and a Lanczos measurement, a bound instantiation — run while <see cref="CollectorPressure"/>
/// frees every finalizable native object the moment it becomes unreachable. Before the fix, TorchSharp's
/// implicit Scalars (in our arithmetic and inside its own Adam step) were freed while libtorch read them
/// and this test failed within seconds with libtorch's "Expected false to be true … toFloat"; a pass
/// means no such object exists on these paths. Its own collection: the pressure slows every test near it.
/// </summary>
[Collection(nameof(NativeLifetimeCollection))]
public sealed class NativeLifetimeStressTests
{
    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Data = new(FashionMnist.LoadEmbedded);

    [Theory]
    [InlineData("vgg-mini")]
    [InlineData("resnet-mini")]
    [InlineData("densenet-mini")]
    [InlineData("vit-mini")]
    public void Training_attacking_measuring_and_bounding_survive_collector_pressure(string name)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        var (train, test) = Data.Value;
        ImageDataset inputs = test.Take(8);
        using var pressure = new CollectorPressure();

        var options = new TrainingOptions
        {
            Epochs = 1,
            Samples = 320,
            BatchSize = 16,
            TestSamples = 16,
            Threads = 1,
            Seed = 3,
            Adversarial = AdversarialTraining.Pgd,
            AdversarialSteps = 2,
        };
        using TrainedModel trained = Trainer.Train(spec, train, test, options);
        nn.Module<Tensor, Tensor> model = trained.Model;
        model.eval();

        foreach (var settings in new[]
                 {
                     AttackSettings.Fgsm(), AttackSettings.Pgd(steps: 3), AttackSettings.PgdL2(steps: 3), AttackSettings.Cw(steps: 3),
                 })
        {
            AttackReport report = AttackRunner.Run(model, inputs, settings with { Seed = 1 });
            Assert.Equal(inputs.Count, report.Inputs.Count);
        }
        var minimal = MinimalEpsilon.Search(model, inputs, new MinimalEpsilonOptions { Iterations = 3, PgdSteps = 2, Seed = 1 }, samples: 4);
        Assert.Equal(4, minimal.Inputs.Count);

        using var scope = NewDisposeScope();
        (Tensor x, _) = inputs.Batch(0, inputs.Count);
        foreach (var method in new[] { FimMethod.Exact, FimMethod.Lanczos })
        {
            FimMeasurement measured = FimMeasurer.Measure(model, x, method, FimOptions.Default with { Precision = ScalarType.Float64, Seed = 1 });
            Assert.All(measured.Samples, s => Assert.True(s.IsFinite && s.LambdaMax > 0, $"{method}: {s.Problem}"));
        }
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, x, new InstantiationOptions { Seed = 1 });
        Assert.True(double.IsFinite(bound.Global) && bound.Global > 0);
        Assert.True(pressure.Collections > 10, $"only {pressure.Collections} forced collections ran: the pressure was not real");
    }
}

[CollectionDefinition(nameof(NativeLifetimeCollection), DisableParallelization = true)]
public sealed class NativeLifetimeCollection;

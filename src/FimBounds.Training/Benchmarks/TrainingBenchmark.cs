using System.Diagnostics;
using FimBounds.Data;
using FimBounds.Nn.Specs;

namespace FimBounds.Training.Benchmarks;

/// <summary>
/// The training target: a mini VGG-style model reaches <see cref="TrainingBench.AccuracyTarget"/> test
/// accuracy on the embedded Fashion-MNIST subset in under <see cref="TrainingBench.SecondsTarget"/>
/// seconds on two cores, with the default training options (what `fimbounds train vgg-mini` runs).
/// Wall time covers the whole run, the per-epoch test evaluations included.
/// </summary>
public static class TrainingBenchmark
{
    public static TrainingBench Run(IModelSpec spec, ImageDataset train, ImageDataset test, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using TrainedModel trained = Trainer.Train(spec, train, test, options, progress, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return new TrainingBench(spec.Name, options.Epochs, trained.Metadata.TrainingSamples, options.TestSamples ?? test.Count,
            options.Threads, trained.TestAccuracy, seconds, cpuSeconds, train.Name);
    }
}

/// <summary>One timed training run and its verdict against the target.</summary>
public sealed record TrainingBench(
    string Spec, int Epochs, int TrainImages, int TestImages, int Threads, double TestAccuracy, double Seconds, double CpuSeconds, string Dataset)
{
    public const double AccuracyTarget = 0.80;

    public const double SecondsTarget = 120;

    public bool TargetMet => TestAccuracy >= AccuracyTarget && Seconds < SecondsTarget;
}

using System.Diagnostics;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Benchmarks;

/// <summary>
/// A full-size spec: seconds to instantiate its bound (wall and CPU, its operator norms on <see cref="BoundThreads"/>
/// threads side by side), the same with the attained norms the measure report adds, and seconds to measure one input
/// with Lanczos (no memory flag).
/// </summary>
public sealed record FullSizeBench(string Spec, double BoundSeconds, double MeasureSecondsPerInput, double LambdaMax, double Bound,
    int BoundThreads, double BoundCpuSeconds, double BoundWithAttainedSeconds, double BoundWithAttainedCpuSeconds)
{
    /// <summary>Target: resnet18's bound instantiated in at most 5 s.</summary>
    public const double BoundTargetSeconds = 5;

    public bool BoundTargetMet => BoundSeconds <= BoundTargetSeconds;
}

/// <summary>Times a full-size spec end to end: random weights and inputs, float32, default memory budget.</summary>
public static class FullSizeBenchmark
{
    /// <param name="boundThreads">Threads the bound's operator norms are computed on (each with libtorch at one thread).</param>
    public static FullSizeBench Run(IModelSpec spec, int inputs, long seed, int boundThreads, IProgress<string>? progress = null)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        nn.Module<Tensor, Tensor> model = spec.CreateModel();
        model.eval();
        using var generator = new Generator((ulong)seed + 7919);
        long[] shape = new[] { (long)inputs }.Concat(spec.Description.Input.Dims.Select(d => (long)d)).ToArray();
        Tensor x = rand(shape, dtype: float32, generator: generator);

        progress?.Report($"{spec.Name}: measuring {inputs} input(s) with Lanczos");
        var clock = Stopwatch.StartNew();
        FimMeasurement measurement = FimMeasurer.Measure(model, x, FimMethod.Lanczos, new FimOptions { Seed = seed, Precision = ScalarType.Float32 });
        double measureSeconds = clock.Elapsed.TotalSeconds;

        progress?.Report($"{spec.Name}: instantiating the bound on {boundThreads} thread(s)");
        (InstantiatedBound bound, double boundSeconds, double boundCpu) = Timed(() =>
            BoundInstantiator.Instantiate(spec, model, x, new InstantiationOptions { Seed = seed, AttainedNorms = false, NormWorkers = boundThreads }));
        progress?.Report($"{spec.Name}: instantiating the bound with attained norms");
        (_, double attainedSeconds, double attainedCpu) = Timed(() =>
            BoundInstantiator.Instantiate(spec, model, x, new InstantiationOptions { Seed = seed, NormWorkers = boundThreads }));
        return new FullSizeBench(spec.Name, boundSeconds, measureSeconds / inputs, measurement.Summary.Max, bound.Global,
            boundThreads, boundCpu, attainedSeconds, attainedCpu);
    }

    /// <summary>The result, wall seconds and CPU seconds of the whole process (every thread) while it ran.</summary>
    private static (T Result, double Seconds, double CpuSeconds) Timed<T>(Func<T> work)
    {
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        T result = work();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (result, seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}

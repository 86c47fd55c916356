using System.Diagnostics;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Benchmarks;

/// <summary>A full-size spec: seconds to instantiate its bound and to measure one input with Lanczos (no memory flag).</summary>
public sealed record FullSizeBench(string Spec, double BoundSeconds, double MeasureSecondsPerInput, double LambdaMax, double Bound)
{
    /// <summary>Target: resnet18's bound instantiated in at most 5 s.</summary>
    public const double BoundTargetSeconds = 5;

    public bool BoundTargetMet => BoundSeconds <= BoundTargetSeconds;
}

/// <summary>Times a full-size spec end to end: random weights and inputs, float32, default memory budget.</summary>
public static class FullSizeBenchmark
{
    public static FullSizeBench Run(IModelSpec spec, int inputs, long seed, IProgress<string>? progress = null)
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

        progress?.Report($"{spec.Name}: instantiating the bound");
        clock.Restart();
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, x, new InstantiationOptions { Seed = seed });
        double boundSeconds = clock.Elapsed.TotalSeconds;
        return new FullSizeBench(spec.Name, boundSeconds, measureSeconds / inputs, measurement.Summary.Max, bound.Global);
    }
}

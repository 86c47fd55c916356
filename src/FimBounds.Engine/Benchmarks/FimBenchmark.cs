using System.Diagnostics;
using FimBounds.Core.Statistics;
using FimBounds.Engine.Measurement;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Benchmarks;

/// <summary>
/// Measures the engine against its targets, side by side in one run: forward-only vs exact vs the
/// SRP-style loop (times), black-box sketch and SRP black-box vs exact (accuracy), Lanczos vs exact on
/// a many-class model. Absolute times on a shared machine are noise; the ratios are the result.
/// </summary>
public static class FimBenchmark
{
    public static ModelBench Model(string spec, nn.Module<Tensor, Tensor> model, Tensor inputs, BenchOptions? options = null,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new BenchOptions();
        using var scope = NewDisposeScope();
        Tensor batch = inputs.narrow(0, 0, Math.Min(options.Batch, inputs.shape[0]));
        Tensor srpInputs = batch.narrow(0, 0, Math.Min(options.SrpInputs, batch.shape[0]));
        int n = (int)batch.shape[0];
        var fimOptions = new FimOptions { Seed = options.Seed, MaxBatchSize = n };

        var forward = new List<double>();
        var exact = new List<double>();
        var srp = new List<double>();
        var exactOverForward = new List<double>();
        var srpOverExact = new List<double>();
        // Eval mode for the forward-only timing; every measurement restores it. Parameters stay trainable, as a
        // user's model would be: the engine freezes them itself, the SRP-style loop (like the reference) does not.
        model.eval();
        ForwardOnly(model, batch);   // warm-up (allocators, kernels)
        int classes = FimMeasurer.Measure(model, batch, FimMethod.Exact, fimOptions).Classes;
        for (int round = 0; round < options.Rounds; round++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"{spec}: timing round {round + 1}/{options.Rounds}");
            double f = Time(() => ForwardOnly(model, batch)) / n;
            double e = Time(() => FimMeasurer.Measure(model, batch, FimMethod.Exact, fimOptions)) / n;
            double s = Time(() => FimMeasurer.Measure(model, srpInputs, FimMethod.Srp, fimOptions)) / srpInputs.shape[0];
            forward.Add(f);
            exact.Add(e);
            srp.Add(s);
            exactOverForward.Add(e / f);
            srpOverExact.Add(s / e);
        }

        progress?.Report($"{spec}: black-box accuracy on {Math.Min(options.AccuracyInputs, inputs.shape[0])} inputs");
        Tensor accuracyInputs = inputs.narrow(0, 0, Math.Min(options.AccuracyInputs, inputs.shape[0]));
        var precise = fimOptions with { Precision = ScalarType.Float64 };
        FimMeasurement reference = FimMeasurer.Measure(model, accuracyInputs, FimMethod.Exact, precise, cancellation: cancellation);
        // Accuracy in float64 for all three: a float32 finite-difference step (ε^⅓ ≈ 5e-3) spans ReLU and
        // max-pool kinks that float64's (6e-6) does not, which would measure the kinks, not the estimator.
        FimMeasurement sketch = FimMeasurer.Measure(model, accuracyInputs, FimMethod.BlackBox, precise, cancellation: cancellation);
        FimMeasurement srpSketch = FimMeasurer.Measure(model, accuracyInputs, FimMethod.SrpBlackBox, precise, cancellation: cancellation);
        var errors = new List<double>();
        var srpErrors = new List<double>();
        int covered = 0;
        int compared = 0;
        for (int i = 0; i < reference.Samples.Count; i++)
        {
            FimSample truth = reference.Samples[i];
            if (!truth.IsFinite || !sketch.Samples[i].IsFinite || truth.LambdaMax is not > 0)
            {
                continue;
            }
            double lambda = truth.LambdaMax.Value;
            errors.Add(Math.Abs(sketch.Samples[i].LambdaMax!.Value - lambda) / lambda);
            srpErrors.Add(Math.Abs(srpSketch.Samples[i].LambdaMax!.Value - lambda) / lambda);
            covered += sketch.Samples[i].CiLow <= lambda && lambda <= sketch.Samples[i].CiHigh ? 1 : 0;
            compared++;
        }

        return new ModelBench(spec, classes,
            Median(forward), Median(exact), Median(srp), Median(exactOverForward), Median(srpOverExact),
            Median(errors), compared == 0 ? double.NaN : covered / (double)compared, Median(srpErrors), 20 * classes);
    }

    /// <summary>Lanczos vs exact on <paramref name="model"/> (a many-class classifier), times interleaved over rounds.</summary>
    public static LanczosBench Lanczos(nn.Module<Tensor, Tensor> model, Tensor inputs, BenchOptions? options = null,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new BenchOptions();
        using var scope = NewDisposeScope();
        Tensor batch = inputs.narrow(0, 0, Math.Min(options.LanczosInputs, inputs.shape[0]));
        var exactOptions = new FimOptions { Seed = options.Seed, MaxBatchSize = (int)batch.shape[0] };
        var lanczosOptions = exactOptions with { Tolerance = options.LanczosTolerance };
        FimMeasurement exact = FimMeasurer.Measure(model, batch, FimMethod.Exact, exactOptions);
        FimMeasurement lanczos = FimMeasurer.Measure(model, batch, FimMethod.Lanczos, lanczosOptions);
        var exactTimes = new List<double>();
        var lanczosTimes = new List<double>();
        for (int round = 0; round < Math.Max(1, options.Rounds - 2); round++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"lanczos (K = {exact.Classes}): timing round {round + 1}");
            exactTimes.Add(Time(() => exact = FimMeasurer.Measure(model, batch, FimMethod.Exact, exactOptions)));
            lanczosTimes.Add(Time(() => lanczos = FimMeasurer.Measure(model, batch, FimMethod.Lanczos, lanczosOptions)));
        }
        double error = exact.Samples.Select((e, i) => Math.Abs(lanczos.Samples[i].LambdaMax!.Value - e.LambdaMax!.Value) / e.LambdaMax.Value).Max();
        int iterations = (int)Median(lanczos.Samples.Select(s => (double)(s.Iterations ?? 0)).ToList());
        return new LanczosBench(exact.Classes, error, Median(lanczosTimes), Median(exactTimes), iterations);
    }

    /// <summary>
    /// A small CNN classifier on 1×28×28 inputs with any number of classes (the K = 100 Lanczos case):
    /// conv 16 → pool → conv 32 → pool → linear 128 → linear K, initialised from <paramref name="seed"/>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> SyntheticClassifier(int classes, long seed)
    {
        manual_seed(seed);
        return nn.Sequential(
            ("conv1", nn.Conv2d(1, 16, 3, padding: 1)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(16, 32, 3, padding: 1)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(32 * 7 * 7, 128)),
            ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(128, classes)));
    }

    private static void ForwardOnly(nn.Module<Tensor, Tensor> model, Tensor batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.call(batch);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        double[] sorted = values.OrderBy(v => v).ToArray();
        return Quantile.OfSorted(sorted, 0.5);
    }
}

using FimBounds.Engine.Benchmarks;
using FimBounds.Nn.Specs;
using FimBounds.Study.Models;
using FimBounds.Zoo;
using static TorchSharp.torch;

namespace FimBounds.Study.Benchmarks;

/// <summary>
/// bench's `certification` block: IBP's and CROWN's cost per L∞ ε (1/255, 2/255, 8/255) as ratios to the
/// exact FIM of the same inputs, for each spec (attention models report why they are not certified).
/// The same randomly initialised models and dequantised test images as the rest of bench.
/// </summary>
public static class CertificationBenchStage
{
    /// <summary>Inputs per model: the cost is per input, so a few give a stable ratio at a bounded time.</summary>
    public const int Inputs = 8;

    public static readonly IReadOnlyList<double> Epsilons = [1.0 / 255, 2.0 / 255, 8.0 / 255];

    public static IReadOnlyList<CertificationBench> Run(BenchSettings settings, Func<Tensor, Tensor> dequantize, IProgress<string> progress)
    {
        var rows = new List<CertificationBench>();
        foreach (string name in settings.Specs)
        {
            IModelSpec spec = ZooCatalog.Find(name);
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = ModelSource.Load(spec, checkpoint: null, settings.Seed);
            Tensor inputs = dequantize(ModelSource.DatasetInputs(spec, data: null, Inputs, settings.Seed).Images);
            rows.Add(CertificationBenchmark.Run(spec.Name, model, inputs, Epsilons, Math.Min(settings.Rounds, 3), settings.Seed, progress));
        }
        return rows;
    }
}

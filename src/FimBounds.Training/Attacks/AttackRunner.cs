using FimBounds.Core.Errors;
using System.Diagnostics;
using FimBounds.Data;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>Runs an attack over the first N inputs of a dataset, batch by batch, and scores it.</summary>
public static class AttackRunner
{
    public static AttackReport Run(
        nn.Module<Tensor, Tensor> model, ImageDataset dataset, AttackSettings settings, int? samples = null, int batchSize = 100,
        IProgress<AttackProgress>? progress = null, CancellationToken cancellationToken = default, ScalarType dtype = ScalarType.Float32)
    {
        int count = Math.Min(samples ?? dataset.Count, dataset.Count);
        var outcomes = new List<AttackOutcome>(count);
        using var work = CurrentWork.Begin($"attacking with {settings.Kind.ToString().ToLowerInvariant()}");
        var clock = Stopwatch.StartNew();
        using Attack attack = Attack.Create(settings);
        int fooled = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            (Tensor x, Tensor y) = dataset.Batch(start, Math.Min(batchSize, count - start), dtype);
            long[] clean = Evaluation.Predict(model, x);
            Tensor adversarial = attack.Perturb(model, x, y);
            long[] attacked = Evaluation.Predict(model, adversarial);
            Tensor delta = (adversarial - x).flatten(1);
            double[] linf = delta.abs().amax(new long[] { 1 }).to_type(ScalarType.Float64).data<double>().ToArray();
            double[] l2 = delta.norm(1).to_type(ScalarType.Float64).data<double>().ToArray();
            long[] labels = y.data<long>().ToArray();
            for (int i = 0; i < labels.Length; i++)
            {
                var outcome = new AttackOutcome(start + i, (int)labels[i], (int)clean[i], (int)attacked[i], linf[i], l2[i]);
                fooled += outcome.Fooled ? 1 : 0;
                outcomes.Add(outcome);
            }
            progress?.Report(new AttackProgress(outcomes.Count, count, fooled));
        }
        return new AttackReport(settings.Describe(), settings, count, clock.Elapsed.TotalSeconds, outcomes);
    }
}

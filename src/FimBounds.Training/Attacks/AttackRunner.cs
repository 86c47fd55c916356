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

    /// <summary>
    /// PGD-L∞ at growing budgets. An input counts as broken at ε once an adversarial example was found at
    /// any ε' ≤ ε (it lies in the ε-ball too), so the reported robust accuracy can only fall as ε grows.
    /// </summary>
    public static IReadOnlyList<(double Epsilon, double RobustAccuracy)> PgdSweep(
        nn.Module<Tensor, Tensor> model, ImageDataset dataset, IReadOnlyList<double> epsilons, int? samples = null, long seed = 0,
        CancellationToken cancellationToken = default)
    {
        double[] sorted = epsilons.Order().ToArray();
        bool[]? robust = null;
        var curve = new List<(double, double)>();
        foreach (double epsilon in sorted)
        {
            AttackSettings settings = (epsilon == 0 ? AttackSettings.Pgd(0, 0) : AttackSettings.Pgd(epsilon, epsilon / 4)) with { Seed = seed };
            AttackReport report = Run(model, dataset, settings, samples, cancellationToken: cancellationToken);
            robust = robust is null
                ? report.Inputs.Select(i => i.Robust).ToArray()
                : robust.Zip(report.Inputs, (before, now) => before && now.Robust).ToArray();
            curve.Add((epsilon, robust.Count(r => r) / (double)robust.Length));
        }
        return curve;
    }
}

using System.Diagnostics;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Model;
using static TorchSharp.torch;

namespace FimBounds.Study.Ranking;

/// <summary>
/// The order in which the workers take the study's models: costliest first, so that no long job starts last while
/// the other workers idle. A model still to train costs its training, (1 + PGD steps) forward-backward passes per
/// batch, estimated from one timed pass of a batch through a fresh model at one thread (sizes differ too much
/// between families for a count of parameters or multiply-adds to tell); a cached or given model costs only its
/// evaluation, far less, and keeps its place in the plan. The order decides the wall time, never the results.
/// </summary>
public static class JobOrder
{
    /// <summary>Indices into <paramref name="jobs"/>, costliest first (a stable sort: equal costs keep the plan's order).</summary>
    public static int[] CostliestFirst(IReadOnlyList<RankJob> jobs, Func<RankJob, bool> mustTrain, RankOptions options)
    {
        var passSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        double Cost(RankJob job)
        {
            if (!mustTrain(job))
            {
                return 0;
            }
            if (!passSeconds.TryGetValue(job.Spec.Name, out double seconds))
            {
                seconds = passSeconds[job.Spec.Name] = TimedPass(job.Spec, options.Seed);
            }
            return seconds * (job.Variant == ModelVariant.PgdTrained ? 1 + options.PgdTrainingSteps : 1);
        }
        double[] costs = jobs.Select(Cost).ToArray();
        return Enumerable.Range(0, jobs.Count).OrderByDescending(i => costs[i]).ToArray();
    }

    /// <summary>Seconds of one training-mode forward and backward pass of a batch of 64 random images, after one untimed pass.</summary>
    private static double TimedPass(IModelSpec spec, long seed)
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = spec.CreateModel();
        model.train();
        using var generator = new Generator(unchecked((ulong)seed));
        long[] shape = [64, .. spec.Description.Input.Dims.Select(d => (long)d)];
        Tensor images = rand(shape, generator: generator);
        Tensor labels = zeros([64], dtype: ScalarType.Int64);
        var clock = new Stopwatch();
        for (int pass = 0; pass < 2; pass++)
        {
            using var passScope = NewDisposeScope();
            clock.Restart();
            nn.functional.cross_entropy(model.call(images), labels).backward();
        }
        return clock.Elapsed.TotalSeconds;
    }
}

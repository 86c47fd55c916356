using System.Globalization;
using System.Runtime.ExceptionServices;
using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Interop;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Model;
using FimBounds.Reports.Ranking;
using FimBounds.Study.Models;
using FimBounds.Torch;
using FimBounds.Zoo;

namespace FimBounds.Study.Ranking;

/// <summary>
/// The main job: every requested spec × variant trained (or loaded), bounded, measured and attacked on
/// the embedded Fashion-MNIST subset, assembled into one <see cref="RankingReport"/>. Writes nothing but
/// checkpoints; the caller writes the report.
/// </summary>
public static class RankingStudy
{
    public const string DatasetName = "Fashion-MNIST (embedded stratified subset; trained on its training split, measured on its test split)";

    /// <summary>
    /// The models of the study, from the --specs items: a .dll or .csproj stands for every spec it declares,
    /// a name for one spec of those assemblies or the zoo (unknown → <see cref="Core.Errors.UsageException"/>
    /// listing the known ones) — each trained in every variant; a .ckpt for the one model it holds, ranked as
    /// it is (its spec looked up in the zoo and the list's assemblies).
    /// </summary>
    public static IReadOnlyList<RankJob> Plan(RankOptions options)
    {
        var items = options.Specs.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        static bool IsAssembly(string item) => item.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || item.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);
        static bool IsCheckpoint(string item) => item.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase);
        var assemblies = items.Where(IsAssembly).ToList();
        var declared = assemblies.SelectMany(SpecAssembly.Load).ToList();
        IModelSpec Find(string name) => declared.FirstOrDefault(s => s.Name == name) ?? new SpecCatalog(ZooCatalog.All, assemblies.FirstOrDefault()).Find(name);

        var specs = new List<IModelSpec>();
        var given = new List<RankJob>();
        foreach (string item in items)
        {
            if (IsAssembly(item))
            {
                specs.AddRange(SpecAssembly.Load(item));
            }
            else if (IsCheckpoint(item))
            {
                given.Add(new RankJob(PyTorchWeights.SpecOf(item, Find), ModelVariant.Checkpoint, item));
            }
            else
            {
                specs.Add(Find(item));
            }
        }
        if (given.GroupBy(j => j.Spec.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new Core.Errors.UsageException(
                $"--specs lists two checkpoints of {twice.Key} ({string.Join(", ", twice.Select(j => j.Checkpoint))}); a report ranks one given checkpoint per spec, so rank them in separate runs.");
        }
        return specs.DistinctBy(s => s.Name)
            .SelectMany(s => options.Variants.Select(v => new RankJob(s, v, null)))
            .Concat(given)
            .ToList();
    }

    public static RankingReport Run(RankOptions options, IRankProgress progress, CancellationToken cancellation)
    {
        options.Validate();
        IReadOnlyList<RankJob> jobs = Plan(options);
        CheckpointCache cache = CheckpointCache.Open(options.EffectiveCheckpointDirectory, mustExist: options.CheckpointDirectory is not null);
        progress.Note($"checkpoint cache: {Path.GetFullPath(cache.Directory)}");

        (ImageDataset train, ImageDataset test) = FashionMnist.LoadEmbedded();
        if (options.Samples > test.Count)
        {
            throw new Core.Errors.UsageException($"--samples {options.Samples} exceeds the {test.Count} test images of the embedded subset; pass at most {test.Count}.");
        }
        TheoreticalRanks theory = TheoreticalRanks.Of(jobs.Select(j => j.Spec).DistinctBy(s => s.Name).ToList());
        var evaluator = new ModelEvaluator(options, cache, train, test);

        // Models side by side, each on a worker thread with libtorch at one thread: the mini models' small batches
        // keep one core busy far better than two (a training epoch took 5× the CPU at two threads on a loaded
        // machine), and every value is the one a single worker computes, whatever the number of workers.
        int workers = Math.Min(options.Threads, jobs.Count);
        using var oneThread = IntraOpThreads.Set(1);
        IRankProgress shared = workers > 1 ? new SerializedRankProgress(progress) : progress;
        int[] order = workers > 1
            ? JobOrder.CostliestFirst(jobs, j => j.Checkpoint is null && !cache.Holds(j.Spec, train, ModelEvaluator.TrainingFor(options, j.Variant)), options)
            : Enumerable.Range(0, jobs.Count).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ExceptionDispatchInfo? failure = null;
        ModelMeasurement Evaluate(int i)
        {
            var (spec, variant, checkpoint) = jobs[i];
            string label = variant == ModelVariant.Standard ? spec.Name : $"{spec.Name} ({variant.Key()})";
            try
            {
                stop.Token.ThrowIfCancellationRequested();
                shared.BeginModel(label, i + 1, jobs.Count);
                ModelMeasurement m = evaluator.Evaluate(spec, variant, theory.RankBySpec[spec.Description.Name], label, shared, stop.Token, checkpoint);
                shared.EndModel(label, string.Create(CultureInfo.InvariantCulture,
                    $"clean {m.CleanAccuracy:P0}, PGD {m.RobustAccuracyPgd:P0}, max λ_max {m.LambdaMax.Max():G3} ≤ bound {m.BoundGlobal:G3}"));
                return m;
            }
            catch (Exception e) when (!(e is OperationCanceledException && stop.IsCancellationRequested))
            {
                // The first model that fails stops the others at their next check, and its error is the one reported.
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                stop.Cancel();
                throw;
            }
        }
        ModelMeasurement[] done;
        try
        {
            done = SingleThreadedWorkers.Run(order.Select(i => (Func<ModelMeasurement>)(() => Evaluate(i))).ToList(), workers);
        }
        catch (OperationCanceledException) when (failure is not null)
        {
            failure.Throw();
            throw;
        }
        var measurements = new ModelMeasurement[jobs.Count];
        for (int k = 0; k < order.Length; k++)
        {
            measurements[order[k]] = done[k];
        }
        return RankingReportBuilder.Build(Metadata(options, cache, jobs), measurements, theory.Statement);
    }

    /// <summary>How the run was made — everything that decides the numbers, and no timestamps or absolute temp paths beyond the cache's.</summary>
    public static RunMetadata Metadata(RankOptions o, CheckpointCache cache, IReadOnlyList<RankJob> jobs) => new()
    {
        FimBoundsVersion = typeof(RankingStudy).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        Seed = o.Seed,
        Samples = o.Samples,
        Dataset = DatasetName,
        CacheDirectory = cache.Directory,
        // Every computation runs at one libtorch thread, whatever the number of workers (--threads): the numbers depend on this one.
        Threads = 1,
        Estimator = "exact (K×K eigen-solve of JᵀA(p)J per input, float64)",
        Attacks = new AttackProtocol(
            "L∞ (PGD), L2 (CW)", o.PgdEpsilon, o.PgdStepSize, o.PgdSteps,
            o.CwSteps > 0 ? o.CwConstant : null, o.CwSteps > 0 ? o.CwSteps : null, o.CwSteps > 0 ? o.CwLearningRate : null,
            string.Create(CultureInfo.InvariantCulture,
                $"bisection over PGD-L∞ (random start, step ε/4, {o.MinimalEpsilonPgdSteps} steps per probe), ε ≤ {o.MinimalEpsilonMax:G4}, {o.MinimalEpsilonIterations} halvings, first {o.EffectiveMinimalEpsilonSamples} inputs")),
        Notes =
        [
            string.Create(CultureInfo.InvariantCulture,
                $"training: Adam with a one-cycle schedule, {o.Epochs} epoch(s) on the first {o.TrainSamples} training images, batch 64, seed {o.Seed}"),
            string.Create(CultureInfo.InvariantCulture,
                $"PGD-trained variant: Madry-style PGD-L∞ training at ε = {o.PgdEpsilon:G4} with {o.PgdTrainingSteps} PGD step(s) per batch (fewer than the evaluation attack's {o.PgdSteps}, to fit the time budget)"),
            "bound: the spec's symbolic bound (shared bound rules) instantiated with the trained weights (certified interval upper ends); LayerNorm/attention assumptions calibrated on the measured inputs",
            "per-layer 'measured' factor: the same factor with every quantity at a value the weights attain (e.g. Lanczos lower estimates of convolution norms)",
            "robust accuracy: correct both clean and under attack, over all measured inputs",
            .. jobs.Where(j => j.Checkpoint is not null).Select(j =>
                $"{j.Spec.Name} ({ModelVariant.Checkpoint.Key()}): the weights of {Path.GetFileName(j.Checkpoint)} ({Checkpoint.ReadMetadata(j.Checkpoint!).Summary}), measured and attacked as they are, not trained"),
        ],
    };
}

/// <summary>One model of the study: a spec in a variant, trained by the study, or the given <paramref name="Checkpoint"/> ranked as it is.</summary>
public sealed record RankJob(IModelSpec Spec, ModelVariant Variant, string? Checkpoint);

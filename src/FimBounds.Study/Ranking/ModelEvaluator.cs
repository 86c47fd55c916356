using FimBounds.Data;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Model;
using FimBounds.Study.Certification;
using FimBounds.Study.Models;
using FimBounds.Study.Progress;
using FimBounds.Training;
using FimBounds.Training.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Study.Ranking;

/// <summary>
/// One model of the study, start to finish: train or load it, instantiate its bound with the trained
/// weights, measure λ_max exactly on the test inputs, attack it (PGD, CW, minimal-ε bisection) and
/// return the raw <see cref="ModelMeasurement"/> the report library summarises.
/// </summary>
public sealed class ModelEvaluator
{
    private readonly RankOptions _options;
    private readonly CheckpointCache _cache;
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly ImageDataset _measured;

    public ModelEvaluator(RankOptions options, CheckpointCache cache, ImageDataset train, ImageDataset test)
    {
        _options = options;
        _cache = cache;
        _train = train;
        _test = test;
        _measured = test.Take(options.Samples);
    }

    /// <summary>How each variant is trained: the demo's budget, PGD training with few steps, at one libtorch thread whatever the number of workers.</summary>
    public static TrainingOptions TrainingFor(RankOptions options, ModelVariant variant) => new()
    {
        Epochs = options.Epochs,
        Samples = options.TrainSamples,
        TestSamples = options.TrainTestSamples,
        Seed = options.Seed,
        Threads = 1,
        Adversarial = variant == ModelVariant.PgdTrained ? AdversarialTraining.Pgd : AdversarialTraining.None,
        AdversarialEpsilon = options.PgdEpsilon,
        AdversarialSteps = options.PgdTrainingSteps,
    };

    /// <param name="checkpoint">The given weights (<see cref="ModelVariant.Checkpoint"/>); null to train the variant or load it from the cache.</param>
    public ModelMeasurement Evaluate(IModelSpec spec, ModelVariant variant, int theoreticalRank, string label, IRankProgress progress,
        CancellationToken cancellation, string? checkpoint = null)
    {
        torch.set_num_threads(1);
        var trainProgress = new SynchronousProgress<TrainingProgress>(p => progress.Stage(label, "train", 0.5 * p.TotalStep / Math.Max(1, p.TotalSteps)));
        using TrainedModel trained = checkpoint is not null
            ? Given(spec, checkpoint)
            : _cache.GetOrTrain(spec, _train, _test, TrainingFor(_options, variant), trainProgress, cancellation);
        nn.Module<Tensor, Tensor> model = trained.Model;
        model.eval();
        progress.Stage(label, checkpoint is not null ? "loaded " + Path.GetFileName(checkpoint) : trained.FromCache ? "loaded from cache" : "trained", 0.5);

        using var scope = NewDisposeScope();
        (Tensor inputs, Tensor labels) = _measured.Batch(0, _measured.Count);

        // λ_max(F(x)) exactly (K×K eigen-solve of the pulled-back softmax curvature), in float64.
        var fimProgress = new SynchronousProgress<FimProgress>(p => progress.Stage(label, "measure λ_max", 0.5 + 0.1 * p.Done / Math.Max(1, p.Total)));
        FimMeasurement measurement = FimMeasurer.Measure(model, inputs, FimMethod.Exact,
            FimOptions.Default with { Precision = ScalarType.Float64, Seed = _options.Seed }, fimProgress, cancellation);
        double[] lambda = measurement.Samples.OrderBy(s => s.Index).Select(s => s.IsFinite && s.LambdaMax is { } v ? v : double.NaN).ToArray();
        if (lambda.Any(double.IsNaN))
        {
            string problem = measurement.Samples.FirstOrDefault(s => !s.IsFinite)?.Problem ?? "no λ_max returned";
            throw new InvalidOperationException($"{label}: λ_max is not finite at {lambda.Count(double.IsNaN)} of {lambda.Length} inputs (first problem: {problem}).");
        }

        // The symbolic bound with the trained weights; calibrated on the inputs it is checked against.
        cancellation.ThrowIfCancellationRequested();
        progress.Stage(label, "instantiate bound", 0.6);
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { Seed = _options.Seed });

        progress.Stage(label, "PGD attack", 0.65);
        AttackReport pgd = AttackRunner.Run(model, _measured, PgdSettings(_options), cancellationToken: cancellation);
        double? cwAccuracy = null;
        if (_options.CwSteps > 0)
        {
            progress.Stage(label, "CW attack", 0.75);
            cwAccuracy = AttackRunner.Run(model, _measured, CwSettings(_options), cancellationToken: cancellation).RobustAccuracy;
        }

        progress.Stage(label, "minimal ε", 0.85);
        int searched = _options.EffectiveMinimalEpsilonSamples;
        var epsilonProgress = new SynchronousProgress<AttackProgress>(p => progress.Stage(label, "minimal ε", 0.85 + 0.15 * p.Done / Math.Max(1, p.Total)));
        MinimalEpsilonReport minimal = searched > 0
            ? MinimalEpsilon.Search(model, _measured, MinimalEpsilonFor(_options), searched, epsilonProgress, cancellation)
            : new MinimalEpsilonReport(MinimalEpsilonFor(_options), 0, []);
        CertificationMeasurement? certification = null;
        if (_options.CertifySamples > 0)
        {
            progress.Stage(label, "certify", 0.95);
            certification = ModelCertification.Run(model, spec.Description.Input.Dims.Select(d => (long)d).ToArray(), inputs,
                labels.data<long>().ToArray(), minimal.Inputs, CertificationFor(_options), cancellation);
        }
        var inputsWithEpsilon = minimal.Inputs
            .Select(o => new InputSensitivity(lambda[o.Index], double.IsFinite(o.Epsilon) ? o.Epsilon : null))
            .ToList();

        return new ModelMeasurement
        {
            Spec = spec.Name,
            Family = spec.Description.Family,
            Variant = variant,
            Parameters = spec.Description.Parameters,
            BoundText = spec.BoundText,
            BoundLatex = spec.BoundLatex,
            TheoreticalRank = theoreticalRank,
            BoundGlobal = bound.Global,
            BoundScope = bound.Scope,
            LambdaMax = lambda,
            CleanAccuracy = pgd.CleanAccuracy,
            RobustAccuracyPgd = pgd.RobustAccuracy,
            RobustAccuracyCw = cwAccuracy,
            Layers = LeafFactors(bound),
            Inputs = inputsWithEpsilon,
            Looseness = LoosenessOf(bound, measurement),
            Certification = certification,
        };
    }

    private static TrainedModel Given(IModelSpec spec, string checkpoint)
    {
        var (model, metadata) = Checkpoint.Load(checkpoint, spec);
        return new TrainedModel(spec, model, metadata, [], fromCache: true);
    }

    /// <summary>The bound's gap to the largest measured λ_max, split into factors (<see cref="Looseness"/>), with the layers' shares.</summary>
    private static BoundLooseness? LoosenessOf(InstantiatedBound bound, FimMeasurement measurement) =>
        Looseness.AtLargest(bound, measurement) is { } split
            ? new BoundLooseness(split.Tightness, split.Softmax, split.ConfidenceAwareSoftmax, split.Lipschitz, split.Certificates,
                split.Composition, split.Alignment,
                Looseness.LayerGaps(bound).Select(g => new LayerLooseness(g.Path, g.Kind, g.Factor, g.Attained, g.CertificateGap, g.Log10ShareOfBound)).ToList())
            : null;

    public static AttackSettings PgdSettings(RankOptions o) =>
        AttackSettings.Pgd(o.PgdEpsilon, o.PgdStepSize, o.PgdSteps) with { Seed = o.Seed };

    public static AttackSettings CwSettings(RankOptions o) =>
        AttackSettings.Cw(o.CwConstant, o.CwSteps, o.CwLearningRate) with { Seed = o.Seed };

    /// <summary>Certification at L∞ 1/255, 2/255 and 8/255 (the first also the local FIM bound's ball), radii up to the minimal-ε search's maximum.</summary>
    public static CertificationPlan CertificationFor(RankOptions o) => new(
        o.CertifySamples, o.CertifyMethod, [1.0 / 255, 2.0 / 255, 8.0 / 255],
        new RadiusSearch(o.MinimalEpsilonMax, RadiusSearch.Linf.Tolerance), o.CertifyBallPoints, o.Seed);

    public static MinimalEpsilonOptions MinimalEpsilonFor(RankOptions o) => new()
    {
        MaxEpsilon = o.MinimalEpsilonMax,
        Iterations = o.MinimalEpsilonIterations,
        PgdSteps = o.MinimalEpsilonPgdSteps,
        Seed = o.Seed,
    };

    /// <summary>
    /// The bound's per-layer factors: the leaves of the bound's tree (layers, not the compositions built
    /// from them). The "measured" side is the factor with every quantity at a value the weights are known
    /// to attain (e.g. a Lanczos lower estimate of a convolution's norm), so bound / measured is the
    /// certificate's share of the slack at that layer.
    /// </summary>
    private static IReadOnlyList<LayerBoundFactor> LeafFactors(InstantiatedBound bound)
    {
        var factors = bound.PerLayer;
        return factors
            .Where(f => f.Depth > 0 && !factors.Any(o => o.Depth > f.Depth && o.Path.StartsWith(f.Path + ".", StringComparison.Ordinal)))
            .Select(f => new LayerBoundFactor(f.Path, $"{f.Kind}: {f.Expression}", f.Value, f.Attained))
            .ToList();
    }
}

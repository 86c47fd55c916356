using FimBounds.Reports.Model;
using FimBounds.Study.Models;

namespace FimBounds.Study.Ranking;

/// <summary>
/// Everything that decides what `fimbounds rank` / `fimbounds demo` compute. The defaults are the demo's
/// budget, sized so the eight mini-zoo models (4 families × standard/PGD-trained) train, measure and get
/// attacked in under ten minutes on two cores; tests shrink them through the same object.
/// </summary>
public sealed record RankOptions
{
    public IReadOnlyList<string> Specs { get; init; } = MiniZoo.Specs;

    public IReadOnlyList<ModelVariant> Variants { get; init; } = [ModelVariant.Standard, ModelVariant.PgdTrained];

    /// <summary>Test inputs per model for λ_max, clean accuracy and the attacks.</summary>
    public int Samples { get; init; } = 100;

    /// <summary>Inputs (the first of the measured ones) searched for their minimal ε; null = all <see cref="Samples"/>.</summary>
    public int? MinimalEpsilonSamples { get; init; }

    public int Seed { get; init; }

    /// <summary>Training epochs per model (four reach 84–85 % clean accuracy for the standard CNNs).</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Training images (first N of the embedded subset's seeded order; the subset has 5,000).</summary>
    public int TrainSamples { get; init; } = 5000;

    /// <summary>Test images on which training reports its test accuracy.</summary>
    public int TrainTestSamples { get; init; } = 500;

    /// <summary>PGD steps per batch of adversarial training (fewer than the evaluation attack's, to fit the budget).</summary>
    public int PgdTrainingSteps { get; init; } = 3;

    /// <summary>Evaluation PGD-L∞ (the paper's protocol: ε 8/255, step 2/255, 20 steps, random start).</summary>
    public double PgdEpsilon { get; init; } = 8.0 / 255.0;

    public double PgdStepSize { get; init; } = 2.0 / 255.0;

    public int PgdSteps { get; init; } = 20;

    /// <summary>CW-L2 (c = 1, lr 0.01); 0 steps skips CW.</summary>
    public int CwSteps { get; init; } = 20;

    public double CwConstant { get; init; } = 1.0;

    public double CwLearningRate { get; init; } = 0.01;

    /// <summary>Minimal-ε search: bisection halvings and PGD steps per probe.</summary>
    public int MinimalEpsilonIterations { get; init; } = 5;

    public int MinimalEpsilonPgdSteps { get; init; } = 10;

    public double MinimalEpsilonMax { get; init; } = 32.0 / 255.0;

    /// <summary>
    /// Inputs (the first of the measured ones) certified per model: certified accuracy at L∞ 1/255, 2/255, 8/255,
    /// the certified radius and the local FIM bound at 1/255; 0 skips it.
    /// </summary>
    public int CertifySamples { get; init; } = 20;

    /// <summary>
    /// CROWN-IBP: a radius bisection costs about ten certifications per input, and full CROWN's forward linear
    /// bounds (one row per pixel) cost tens of exact FIMs each (README "Certification"), which the demo's
    /// ten minutes cannot hold for 120 inputs; `fimbounds certify --method crown` gives the tight numbers.
    /// </summary>
    public Engine.Certification.CertificationMethod CertifyMethod { get; init; } = Engine.Certification.CertificationMethod.CrownIbp;

    /// <summary>Points of each 1/255 ball where the exact λ_max is measured against the local bound Λ.</summary>
    public int CertifyBallPoints { get; init; } = 16;

    /// <summary>
    /// Cores to use: this many models are trained and evaluated side by side, each on its own worker thread with
    /// libtorch at one thread (<see cref="Torch.SingleThreadedWorkers"/>), costliest first. Every computation runs
    /// at one libtorch thread whatever this is, so the checkpoints and the report are the same for every value
    /// (reductions split per libtorch thread, so that count is fixed, and reported as the run's threads). Two, the
    /// cores the demo's budget is stated for. (Before, this was libtorch's thread count for every stage: small
    /// batches of the mini models kept two libtorch threads far less busy than two models on one thread each.)
    /// </summary>
    public int Threads { get; init; } = 2;

    /// <summary>Cached checkpoints; <see cref="DefaultCheckpointDirectory"/> when null.</summary>
    public string? CheckpointDirectory { get; init; }

    public string OutputDirectory { get; init; } = "fimbounds-report";

    /// <summary>The default cache, relative to the current directory (the data engineer's store layout).</summary>
    public const string DefaultCheckpointDirectory = Training.CheckpointStore.DefaultDirectory;

    public string EffectiveCheckpointDirectory => CheckpointDirectory ?? DefaultCheckpointDirectory;

    public int EffectiveMinimalEpsilonSamples => Math.Min(MinimalEpsilonSamples ?? Samples, Samples);

    /// <summary>Throws <see cref="Core.Errors.UsageException"/> naming the first bad knob.</summary>
    public void Validate()
    {
        Require(Specs.Count > 0, "--specs needs at least one spec name");
        Require(Samples >= 2, "--samples must be at least 2");
        Require(MinimalEpsilonSamples is null or >= 0, "--min-eps-samples must not be negative");
        Require(Epochs >= 1, "--epochs must be at least 1");
        Require(TrainSamples >= 1, "--train-samples must be at least 1");
        Require(TrainTestSamples >= 1, "the training test-accuracy sample count must be at least 1");
        Require(PgdTrainingSteps >= 1, "--pgd-train-steps must be at least 1");
        Require(PgdSteps >= 1, "--pgd-steps must be at least 1");
        Require(CwSteps >= 0, "--cw-steps must not be negative");
        Require(MinimalEpsilonIterations >= 0, "--min-eps-iterations must not be negative");
        Require(MinimalEpsilonPgdSteps >= 1, "the minimal-ε PGD steps must be at least 1");
        Require(CertifySamples >= 0, "the certified sample count must not be negative");
        Require(CertifyBallPoints >= 1, "the points sampled per certified ball must be at least 1");
        Require(Threads >= 1, "--threads must be at least 1");
        Require(!string.IsNullOrWhiteSpace(OutputDirectory), "--out must name a directory");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new Core.Errors.UsageException(message + ".");
        }
    }
}

using System.CommandLine;
using FimBounds.Study.Models;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Commands;

/// <summary>
/// The options `rank` and `demo` share: output, cache, seed, and the budget knobs (hidden: they exist so
/// tests and impatient users can shrink the run; the defaults are the demo's budget).
/// </summary>
public sealed class RankOptionSet
{
    private static readonly RankOptions Defaults = new();

    public Option<string> Out { get; } = new("--out")
    {
        Description = "Directory for report.md, report.json, report.html and plots/ (written atomically).",
        DefaultValueFactory = _ => Defaults.OutputDirectory,
    };

    public Option<string?> Checkpoints { get; } = new("--checkpoints")
    {
        Description = $"Checkpoint cache directory (must exist when given); default {RankOptions.DefaultCheckpointDirectory} under the current directory.",
    };

    public Option<int> Samples { get; } = new("--samples")
    {
        Description = "Test inputs per model for λ_max, accuracy and the attacks.",
        DefaultValueFactory = _ => Defaults.Samples,
    };

    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "Seed of training, measurement and attacks (same seed ⇒ same report).",
        DefaultValueFactory = _ => Defaults.Seed,
    };

    public Option<int> Epochs { get; } = Hidden("--epochs", "Training epochs per model.", Defaults.Epochs);

    public Option<int> TrainSamples { get; } = Hidden("--train-samples", "Training images per model.", Defaults.TrainSamples);

    public Option<int> PgdTrainSteps { get; } = Hidden("--pgd-train-steps", "PGD steps per batch of adversarial training.", Defaults.PgdTrainingSteps);

    public Option<int> PgdSteps { get; } = Hidden("--pgd-steps", "Steps of the evaluation PGD attack.", Defaults.PgdSteps);

    public Option<int> CwSteps { get; } = Hidden("--cw-steps", "Steps of the CW attack (0 skips it).", Defaults.CwSteps);

    public Option<int?> MinEpsSamples { get; } = new("--min-eps-samples")
    {
        Description = "Inputs searched for their minimal ε (default: all measured inputs).",
        Hidden = true,
    };

    public Option<int> MinEpsIterations { get; } = Hidden("--min-eps-iterations", "Bisection halvings of the minimal-ε search.", Defaults.MinimalEpsilonIterations);

    public Option<int> Threads { get; } = Hidden("--threads", "libtorch intra-op threads.", Defaults.Threads);

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Out, Checkpoints, Samples, Seed, Epochs, TrainSamples, PgdTrainSteps, PgdSteps, CwSteps, MinEpsSamples, MinEpsIterations, Threads })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The parsed options over the given base (which carries the specs).</summary>
    public RankOptions Read(ParseResult parse, RankOptions baseOptions) => baseOptions with
    {
        OutputDirectory = parse.GetValue(Out)!,
        CheckpointDirectory = parse.GetValue(Checkpoints),
        Samples = parse.GetValue(Samples),
        Seed = parse.GetValue(Seed),
        Epochs = parse.GetValue(Epochs),
        TrainSamples = parse.GetValue(TrainSamples),
        PgdTrainingSteps = parse.GetValue(PgdTrainSteps),
        PgdSteps = parse.GetValue(PgdSteps),
        CwSteps = parse.GetValue(CwSteps),
        MinimalEpsilonSamples = parse.GetValue(MinEpsSamples),
        MinimalEpsilonIterations = parse.GetValue(MinEpsIterations),
        Threads = parse.GetValue(Threads),
    };

    private static Option<int> Hidden(string name, string description, int value) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => value,
        Hidden = true,
    };
}

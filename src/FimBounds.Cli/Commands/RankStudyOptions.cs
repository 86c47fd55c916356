using System.CommandLine;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Commands;

/// <summary>
/// The options `rank` and `demo` share: output, cache, seed, and the budget knobs (hidden: they exist so
/// tests and impatient users can shrink the run; the defaults are the demo's budget). Their values are
/// checked once, by <see cref="RankOptions.Validate"/>, which library callers of the study need as well.
/// </summary>
public static class RankStudyOptions
{
    private static readonly RankOptions Defaults = new();

    private static readonly Option<string> Out = new("--out")
    {
        Description = "Directory for report.md, report.json, report.html and plots/ (written atomically).",
        DefaultValueFactory = _ => Defaults.OutputDirectory,
    };

    private static readonly Option<string?> Checkpoints = new("--checkpoints")
    {
        Description = $"Checkpoint cache directory (must exist when given); default {RankOptions.DefaultCheckpointDirectory} under the current directory.",
    };

    private static readonly Option<int> Samples = new("--samples")
    {
        Description = "Test inputs per model for λ_max, accuracy and the attacks.",
        DefaultValueFactory = _ => Defaults.Samples,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of training, measurement and attacks (same seed ⇒ same report).",
        DefaultValueFactory = _ => Defaults.Seed,
    };

    private static readonly Option<int> Epochs = Hidden("--epochs", "Training epochs per model.", Defaults.Epochs);

    private static readonly Option<int> TrainSamples = Hidden("--train-samples", "Training images per model.", Defaults.TrainSamples);

    private static readonly Option<int> PgdTrainSteps = Hidden("--pgd-train-steps", "PGD steps per batch of adversarial training.", Defaults.PgdTrainingSteps);

    private static readonly Option<int> PgdSteps = Hidden("--pgd-steps", "Steps of the evaluation PGD attack.", Defaults.PgdSteps);

    private static readonly Option<int> CwSteps = Hidden("--cw-steps", "Steps of the CW attack (0 skips it).", Defaults.CwSteps);

    private static readonly Option<int?> MinEpsSamples = new("--min-eps-samples")
    {
        Description = "Inputs searched for their minimal ε (default: all measured inputs).",
        Hidden = true,
    };

    private static readonly Option<int> MinEpsIterations = Hidden("--min-eps-iterations", "Bisection halvings of the minimal-ε search.", Defaults.MinimalEpsilonIterations);

    /// <summary>Without a default of its own: rank's (20) and the demo's (5) differ, and come in with the base options.</summary>
    private static readonly Option<int?> CertifySamples = new Option<int?>("--certify-samples")
    {
        Description = $"Test inputs certified per model (certified accuracy, radius, local FIM bound; 0 skips certification). Default {Defaults.CertifySamples} for rank, " +
                      $"{DemoCommand.DemoCertifySamples} for demo.",
    }.NonNegative();

    private static readonly Option<int> Threads = Hidden("--threads", "Models trained and evaluated side by side, one libtorch thread each (the results do not depend on it).", Defaults.Threads);

    public static void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Out, Checkpoints, Samples, Seed, Epochs, TrainSamples, PgdTrainSteps, PgdSteps, CwSteps, MinEpsSamples, MinEpsIterations, CertifySamples, Threads })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The parsed options over the given base (which carries the specs).</summary>
    public static RankOptions Read(ParseResult parse, RankOptions baseOptions) => baseOptions with
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
        CertifySamples = parse.GetValue(CertifySamples) ?? baseOptions.CertifySamples,
        Threads = parse.GetValue(Threads),
    };

    private static Option<int> Hidden(string name, string description, int value) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => value,
        Hidden = true,
    };
}

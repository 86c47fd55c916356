using FimBounds.Cli.Infrastructure;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>
/// The smallest real run of `fimbounds rank`: two mini specs × standard/PGD-trained, one epoch on 300
/// images, 24 inputs, short attacks, seed 7, one worker (every computation runs at one libtorch thread
/// whatever the workers, so reductions are bitwise-reproducible) — run through the command line into fresh
/// temporary directories.
/// </summary>
public static class SmallRun
{
    public const string Specs = "vgg-mini,vit-mini";

    public static readonly string[] BudgetArgs = Budget(workers: 1);

    /// <summary>The budget with models evaluated <paramref name="workers"/> at a time (which changes no value).</summary>
    public static string[] Budget(int workers) =>
    [
        "--samples", "24", "--seed", "7", "--epochs", "1", "--train-samples", "300", "--pgd-train-steps", "2",
        "--pgd-steps", "5", "--cw-steps", "5", "--min-eps-iterations", "3", "--threads", $"{workers}",
    ];

    /// <summary>The same budget as an options object (for tests that call the orchestration directly).</summary>
    public static RankOptions Options(string checkpoints, string outDir) => new()
    {
        Specs = Specs.Split(','),
        Samples = 24,
        Seed = 7,
        Epochs = 1,
        TrainSamples = 300,
        PgdTrainingSteps = 2,
        PgdSteps = 5,
        CwSteps = 5,
        MinimalEpsilonIterations = 3,
        Threads = 1,
        CheckpointDirectory = checkpoints,
        OutputDirectory = outDir,
    };

    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh empty directory under the system temp directory.</summary>
    public static string TempDirectory(string tag)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fimbounds-cli-{tag}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}

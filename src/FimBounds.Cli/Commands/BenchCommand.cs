using System.CommandLine;
using FimBounds.Cli.Infrastructure;
using FimBounds.Cli.Rendering;
using FimBounds.Study.Benchmarks;
using FimBounds.Study.Benchmarks.Peers;
using FimBounds.Study.Models;
using FimBounds.Study.Progress;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds bench`: the engine and the trainer against their targets, side by side in one run on the mini
/// zoo (<see cref="BenchRun"/>); progress lines on standard error, the table on standard output.
/// </summary>
public static class BenchCommand
{
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results as JSON to this file." };

    private static readonly Option<int> Rounds = new Option<int>("--rounds") { Description = "Interleaved timing rounds per model.", DefaultValueFactory = _ => 5 }.Positive();

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the models, the inputs and the estimators.", DefaultValueFactory = _ => 0 };

    private static readonly Option<int> Threads = new Option<int>("--threads")
    {
        Description = "libtorch intra-op threads (1 keeps ratios stable on a shared machine).",
        DefaultValueFactory = _ => 1,
    }.Positive();

    private static readonly Option<string[]> Specs = new("--spec")
    {
        Description = "Benchmark only these specs (repeatable); default: the mini zoo.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<bool> SkipFullSize = new("--skip-full-size")
    {
        Description = "Skip the full-size target (resnet18: bound instantiated in ≤ 5 s, one input measured with Lanczos).",
    };

    private static readonly Option<bool> SkipTraining = new("--skip-training")
    {
        Description = "Skip the training target (vgg-mini to ≥ 80 % test accuracy on the embedded subset in < 2 min on 2 threads).",
    };

    private static readonly Option<bool> SkipPeers = new("--skip-peers")
    {
        Description = "Skip the PyTorch peers (the same exact λ_max in PyTorch, batched and the reference's per-sample loop).",
    };

    private static readonly Option<bool> SkipCertification = new("--skip-certification")
    {
        Description = "Skip the certification timing (IBP, CROWN-IBP, CROWN and α-CROWN against the exact FIM on the mini zoo).",
    };

    private static readonly Option<string> Python = new("--python")
    {
        Description = "The Python interpreter whose torch and torchvision the PyTorch peers use.",
        DefaultValueFactory = _ => PyTorchPeer.DefaultInterpreter,
    };

    public static Command Create()
    {
        var command = new Command("bench", "Benchmark the FIM estimators against their targets (time ratios and accuracy, side by side in one run).");
        foreach (Option option in new Option[] { Json, Rounds, Seed, Threads, Specs, SkipTraining, SkipFullSize, SkipPeers, SkipCertification, Python })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(Settings(parse), parse.GetValue(Json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The workflow's settings from a parsed `bench` command line.</summary>
    public static BenchSettings Settings(ParseResult parse) => new()
    {
        Rounds = parse.GetValue(Rounds),
        Seed = parse.GetValue(Seed),
        Threads = parse.GetValue(Threads),
        Specs = parse.GetValue(Specs) is { Length: > 0 } specs ? specs : MiniZoo.Specs,
        Training = !parse.GetValue(SkipTraining),
        FullSize = !parse.GetValue(SkipFullSize),
        Peers = !parse.GetValue(SkipPeers),
        Certification = !parse.GetValue(SkipCertification),
        Python = parse.GetValue(Python)!,
    };

    public static int Run(BenchSettings settings, string? json, TextWriter output, TextWriter error)
    {
        BenchReport report = BenchRun.Execute(settings, new SynchronousProgress<string>(error.WriteLine));
        BenchTable.Render(ConsoleRendering.Over(output), report);
        if (json is not null)
        {
            AtomicFile.WriteAllText(json, report.ToJson());
        }
        return 0;
    }
}

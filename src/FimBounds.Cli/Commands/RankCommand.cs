using System.CommandLine;
using System.Diagnostics;
using FimBounds.Cli.Rendering;
using FimBounds.Reports;
using FimBounds.Reports.Model;
using FimBounds.Reports.Tables;
using FimBounds.Reports.Text;
using FimBounds.Study.Models;
using FimBounds.Study.Ranking;
using Spectre.Console;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds rank [--specs A,B,…] [--checkpoints DIR] [--samples N] [--seed S] [--out DIR]`: theory vs
/// measurement vs attacks for the chosen specs (standard and PGD-trained), in one report. `demo` runs the
/// same <see cref="Run"/> over the mini zoo.
/// </summary>
public static class RankCommand
{
    private static readonly Option<string> Specs = new("--specs")
    {
        Description = "Comma-separated spec names (mini zoo: vgg-mini,resnet-mini,densenet-mini,vit-mini); a .dll or .csproj item stands for every spec it declares, and makes its names usable; a .ckpt item (e.g. from 'fimbounds import') is ranked as it is, not trained.",
        DefaultValueFactory = _ => string.Join(",", MiniZoo.Specs),
    };

    public static Command Create()
    {
        var command = new Command("rank",
            "Rank architectures in theory (bounds), in measurement (λ_max of the input FIM) and under attack (PGD, CW); " +
            "trains what is not cached and writes report.md/json/html.");
        command.Options.Add(Specs);
        RankStudyOptions.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            string[] names = parse.GetValue(Specs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            RankOptions options = RankStudyOptions.Read(parse, new RankOptions { Specs = names });
            return Task.FromResult(Run(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation));
        });
        return command;
    }

    /// <summary>
    /// Runs the study with progress, writes the report atomically, prints the summary table and where everything
    /// went. Exit code 1 when any bound is violated.
    /// </summary>
    public static int Run(RankOptions options, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        options.Validate();
        // Fail before hours of work if --out cannot be written (the writer checks again, atomically).
        OutputDirectoryCheck.EnsureWritable(options.OutputDirectory);
        var clock = Stopwatch.StartNew();
        bool live = Terminal.IsInteractive(output);
        int models = RankingStudy.Plan(options).Count;
        StageTimes? stages = null;
        RankingReport report = live
            ? SpectreRankProgress.Run(AnsiConsole.Console, models, progress => RankingStudy.Run(options, stages = new StageTimes(progress), cancellation))
            : RankingStudy.Run(options, stages = new StageTimes(new PlainRankProgress(output)), cancellation);

        WrittenReport written = ReportWriter.Write(report, options.OutputDirectory, cancellation);
        output.WriteLine();
        if (live)
        {
            AnsiConsole.Write(RankSummaryTable.Of(report));
            foreach (string line in Headline.Lines(report))
            {
                output.WriteLine(line);
            }
        }
        else
        {
            output.Write(ConsoleSummary.Render(report));
        }
        output.WriteLine();
        output.WriteLine($"report: {written.Markdown}, {written.Json}, {written.Html} (+ plots/)");
        output.WriteLine($"checkpoint cache: {Path.GetFullPath(options.EffectiveCheckpointDirectory)}");
        output.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F0} s");
        if (stages is not null)
        {
            output.WriteLine(stages.Line(Math.Min(options.Threads, models)));
            if (stages.CpuLine() is { } cpu)
            {
                output.WriteLine(cpu);
            }
        }

        if (report.ViolatedBounds.Count > 0)
        {
            output.WriteLine($"VIOLATED BOUND in {string.Join(", ", report.ViolatedBounds.Select(m => m.Label))}: the bound is below a measured λ_max — a bug in a bound rule or the engine (listed in the report).");
            return 1;
        }
        return 0;
    }
}

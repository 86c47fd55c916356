using System.Diagnostics;
using FimBounds.Cli.Rendering;
using FimBounds.Reports;
using FimBounds.Reports.Model;
using FimBounds.Reports.Tables;
using FimBounds.Reports.Text;
using FimBounds.Study.Ranking;
using Spectre.Console;

namespace FimBounds.Cli.Commands;

/// <summary>
/// What `rank` and `demo` do after parsing: run the study with progress, write the report atomically,
/// print the summary table and where everything went. Exit code 1 when any bound is violated.
/// </summary>
public static class RankRun
{
    public static int Execute(RankOptions options, TextWriter output, CancellationToken cancellation)
    {
        options.Validate();
        // Fail before hours of work if --out cannot be written (the writer checks again, atomically).
        OutputDirectoryCheck.EnsureWritable(options.OutputDirectory);
        var clock = Stopwatch.StartNew();
        bool live = Terminal.IsInteractive(output);
        int models = options.Specs.Count * options.Variants.Count;
        RankingReport report = live
            ? SpectreRankProgress.Run(AnsiConsole.Console, models, progress => RankingStudy.Run(options, progress, cancellation))
            : RankingStudy.Run(options, new PlainRankProgress(output), cancellation);

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

        if (report.ViolatedBounds.Count > 0)
        {
            output.WriteLine($"VIOLATED BOUND in {string.Join(", ", report.ViolatedBounds.Select(m => m.Label))}: the bound is below a measured λ_max — a bug in a bound rule or the engine (listed in the report).");
            return 1;
        }
        return 0;
    }
}

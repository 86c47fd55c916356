using System.Diagnostics;
using FimBounds.Reports;
using FimBounds.Reports.Model;
using FimBounds.Reports.Tables;
using FimBounds.Reports.Text;
using Spectre.Console;
using ReportColumn = FimBounds.Reports.Tables.TableColumn;
using SpectreColumn = Spectre.Console.TableColumn;
using SpectreTable = Spectre.Console.Table;

namespace FimBounds.Cli.Ranking;

/// <summary>
/// What `rank` and `demo` do after parsing: run the study with progress, write the report atomically,
/// print the summary table and where everything went. Exit code 1 when any bound is violated.
/// </summary>
public static class RankRun
{
    public static int Execute(RankOptions options, TextWriter output, CancellationToken cancellation)
    {
        Torch.NativeBackend.ApplyWorkarounds();
        options.Validate();
        // Fail before hours of work if --out cannot be written (the writer checks again, atomically).
        OutputDirectoryCheck.EnsureWritable(options.OutputDirectory);
        var clock = Stopwatch.StartNew();
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        int models = options.Specs.Count * options.Variants.Count;
        RankingReport report = live
            ? SpectreRankProgress.Run(AnsiConsole.Console, models, progress => RankingStudy.Run(options, progress, cancellation))
            : RankingStudy.Run(options, new PlainRankProgress(output), cancellation);

        WrittenReport written = ReportWriter.Write(report, options.OutputDirectory, cancellation);
        output.WriteLine();
        if (live)
        {
            AnsiConsole.Write(SummaryTable(report));
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

    private static SpectreTable SummaryTable(RankingReport report)
    {
        Reports.Tables.Table table = ReportTables.Summary(report);
        var spectre = new SpectreTable().Border(TableBorder.Rounded);
        foreach (ReportColumn column in table.Columns)
        {
            var c = new SpectreColumn(Markup.Escape(column.Header));
            if (column.Align == FimBounds.Reports.Tables.Align.Right)
            {
                c.RightAligned();
            }
            spectre.AddColumn(c);
        }
        foreach (var row in table.Rows)
        {
            spectre.AddRow(row.Select(cell => Markup.Escape(cell)).ToArray());
        }
        return spectre;
    }
}

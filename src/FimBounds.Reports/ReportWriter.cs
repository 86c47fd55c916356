using System.Text;
using FimBounds.Reports.Html;
using FimBounds.Reports.Json;
using FimBounds.Reports.Markdown;
using FimBounds.Reports.Model;
using FimBounds.Reports.Output;
using FimBounds.Reports.Plots;

namespace FimBounds.Reports;

/// <summary>
/// Writes a <see cref="RankingReport"/> as report.md, report.json, report.html and plots/*.png|svg into a
/// directory, atomically: on failure or cancellation no partial report is left behind.
/// </summary>
public static class ReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";
    public const string PlotsDirectory = "plots";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="progress">Told the relative path of each file once it is staged (for progress bars).</param>
    /// <exception cref="FimBounds.Core.Errors.InputException">The directory cannot be created or written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was written.</exception>
    public static WrittenReport Write(
        RankingReport report,
        string outDir,
        CancellationToken cancellation = default,
        IProgress<string>? progress = null)
    {
        RenderedReport rendered = Render(report, cancellation);
        IReadOnlyList<string> paths = AtomicDirectoryWriter.Write(outDir, rendered.Files(), cancellation, progress);
        return new WrittenReport(Path.GetFullPath(outDir), paths);
    }

    /// <summary>Renders everything in memory, writing nothing.</summary>
    public static RenderedReport Render(RankingReport report, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        string markdown = MarkdownRenderer.Render(report);
        string json = JsonReportRenderer.Render(report);
        IReadOnlyList<RenderedPlot> plots = PlotRenderer.RenderAll(report, cancellation);
        string html = HtmlRenderer.Render(report, plots);
        return new RenderedReport(markdown, json, html, plots);
    }

    internal static byte[] Encode(string text) => Utf8.GetBytes(text);
}

/// <summary>A report rendered in memory.</summary>
public sealed record RenderedReport(string Markdown, string Json, string Html, IReadOnlyList<RenderedPlot> Plots)
{
    /// <summary>
    /// The files in the order they are moved into place: plots first, the reports last, so that a report
    /// file never refers to a plot that is not there yet.
    /// </summary>
    public IReadOnlyList<ReportFile> Files()
    {
        var files = new List<ReportFile>();
        foreach (RenderedPlot plot in Plots)
        {
            files.Add(new ReportFile($"{ReportWriter.PlotsDirectory}/{plot.Name}.png", plot.Png));
            files.Add(new ReportFile($"{ReportWriter.PlotsDirectory}/{plot.Name}.svg", ReportWriter.Encode(plot.Svg)));
        }
        files.Add(new ReportFile(ReportWriter.MarkdownFile, ReportWriter.Encode(Markdown)));
        files.Add(new ReportFile(ReportWriter.JsonFile, ReportWriter.Encode(Json)));
        files.Add(new ReportFile(ReportWriter.HtmlFile, ReportWriter.Encode(Html)));
        return files;
    }
}

/// <summary>Where the report went: the full directory path and every file written.</summary>
public sealed record WrittenReport(string Directory, IReadOnlyList<string> Files)
{
    public string Markdown => Path.Combine(Directory, ReportWriter.MarkdownFile);
    public string Json => Path.Combine(Directory, ReportWriter.JsonFile);
    public string Html => Path.Combine(Directory, ReportWriter.HtmlFile);
}

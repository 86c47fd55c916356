using FimBounds.Reports.Ranking;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Snapshots;

/// <summary>The same report renders to the same bytes: twice in a row, and whatever order the models came in.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Two_renders_are_byte_identical()
    {
        var first = ReportWriter.Render(SampleReport.Build());
        var second = ReportWriter.Render(SampleReport.Build());
        Assert.Equal(first.Markdown, second.Markdown);
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Html, second.Html);
        Assert.Equal(first.Plots.Select(p => p.Name), second.Plots.Select(p => p.Name));
        Assert.All(first.Plots.Zip(second.Plots), pair => Assert.Equal(pair.First.Png, pair.Second.Png));
    }

    [Fact]
    public void Input_order_does_not_change_the_output()
    {
        var forward = ReportWriter.Render(SampleReport.Build());
        var reversed = ReportWriter.Render(
            RankingReportBuilder.Build(SampleReport.Run, SampleReport.Measurements.Reverse(), SampleReport.Theory));
        Assert.Equal(forward.Markdown, reversed.Markdown);
        Assert.Equal(forward.Json, reversed.Json);
    }

    [Fact]
    public void Two_writes_give_byte_identical_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var first = ReportWriter.Write(SampleReport.Build(), a.Path);
        var second = ReportWriter.Write(SampleReport.Build(), b.Path);
        Assert.Equal(first.Files.Select(f => System.IO.Path.GetRelativePath(a.Path, f)), second.Files.Select(f => System.IO.Path.GetRelativePath(b.Path, f)));
        foreach (string name in new[] { "report.md", "report.json", "report.html" })
        {
            Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(a.Path, name)), File.ReadAllBytes(System.IO.Path.Combine(b.Path, name)));
        }
    }

    [Fact]
    public void Output_has_unix_line_ends_no_byte_order_mark_and_no_timestamp()
    {
        using var dir = new TempDirectory();
        var written = ReportWriter.Write(SampleReport.Build(), dir.Path);
        foreach (string file in new[] { written.Markdown, written.Json, written.Html })
        {
            byte[] bytes = File.ReadAllBytes(file);
            Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"{file} starts with a BOM");
            string text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain("\r", text);
            Assert.DoesNotContain(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), text);
        }
    }
}

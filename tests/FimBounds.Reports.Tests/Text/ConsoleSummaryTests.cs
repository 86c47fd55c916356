using FimBounds.Reports.Tests.Fixtures;
using FimBounds.Reports.Text;

namespace FimBounds.Reports.Tests.Text;

public sealed class ConsoleSummaryTests
{
    [Fact]
    public void Columns_line_up()
    {
        string[] lines = ConsoleSummary.Render(SampleReport.Build()).Split('\n');
        string header = lines[0];
        string rule = lines[1];
        Assert.StartsWith("Model", header);
        Assert.Matches("^[- ]+$", rule);
        // Every right-aligned column ends where the header's column ends.
        int paperEnd = header.IndexOf("Paper", StringComparison.Ordinal) + "Paper".Length;
        foreach (string row in lines.Skip(2).Take(4))
        {
            Assert.Equal(paperEnd, row.Length);
        }
    }
}

using System.Text;
using FimBounds.Reports.Model;
using FimBounds.Reports.Tables;

namespace FimBounds.Reports.Text;

/// <summary>
/// The end-of-run summary as plain text (fixed-width columns, "\n" line ends). The CLI may print it as
/// it is or render <see cref="ReportTables.Summary"/> with Spectre.Console.
/// </summary>
public static class ConsoleSummary
{
    public static string Render(RankingReport report)
    {
        Table table = ReportTables.Summary(report);
        int[] widths = table.Columns
            .Select((c, i) => table.Rows.Select(r => r[i].Length).Append(c.Header.Length).Max())
            .ToArray();

        var text = new StringBuilder();
        Line(text, table.Columns.Select(c => c.Header).ToList(), table, widths);
        text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in table.Rows)
        {
            Line(text, row, table, widths);
        }
        text.Append('\n');
        foreach (string line in Headline.Lines(report))
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells, Table table, int[] widths)
    {
        var padded = cells.Select((cell, i) => table.Columns[i].Align == Align.Right ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        text.Append(string.Join("  ", padded).TrimEnd()).Append('\n');
    }
}

using System.Text;
using FimBounds.Reports.Tables;

namespace FimBounds.Reports.Markdown;

/// <summary>A <see cref="Table"/> as a GitHub pipe table.</summary>
internal static class MarkdownTable
{
    public static void Append(StringBuilder md, Table table)
    {
        md.Append("| ").Append(string.Join(" | ", table.Columns.Select(c => Escape(c.Header)))).Append(" |\n");
        md.Append('|').Append(string.Join("|", table.Columns.Select(c => c.Align == Align.Right ? "---:" : ":---"))).Append("|\n");
        foreach (var row in table.Rows)
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(Escape))).Append(" |\n");
        }
    }

    // A pipe would end the cell; a newline would end the table.
    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
}

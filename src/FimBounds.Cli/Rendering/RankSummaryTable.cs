using FimBounds.Reports.Model;
using FimBounds.Reports.Tables;
using Spectre.Console;
using ReportColumn = FimBounds.Reports.Tables.TableColumn;
using SpectreColumn = Spectre.Console.TableColumn;
using SpectreTable = Spectre.Console.Table;

namespace FimBounds.Cli.Rendering;

/// <summary>The report's summary table drawn by Spectre.Console on a terminal (the same cells as the plain-text one).</summary>
public static class RankSummaryTable
{
    public static SpectreTable Of(RankingReport report)
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

using System.Net;
using System.Text;
using FimBounds.Reports.Tables;

namespace FimBounds.Reports.Html;

/// <summary>A <see cref="Table"/> as an HTML table (well-formed XML, every text escaped).</summary>
internal static class HtmlTable
{
    public static void Append(StringBuilder html, Table table, string? id = null)
    {
        html.Append("<table").Append(id is null ? "" : $" id=\"{HtmlText.Encode(id)}\"").Append(">\n<thead><tr>");
        foreach (TableColumn column in table.Columns)
        {
            html.Append("<th").Append(Class(column.Align)).Append('>').Append(HtmlText.Encode(column.Header)).Append("</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                html.Append("<td").Append(Class(table.Columns[i].Align)).Append('>').Append(HtmlText.Encode(row[i])).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static string Class(Align align) => align == Align.Right ? " class=\"num\"" : "";
}

internal static class HtmlText
{
    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}

using System.Text;
using FimBounds.Reports.Markdown;
using FimBounds.Reports.Model;
using FimBounds.Reports.Plots;
using FimBounds.Reports.Tables;

namespace FimBounds.Reports.Html;

/// <summary>
/// report.html: one self-contained file that opens without a network — inline CSS, plots as base64 PNG
/// data URIs, no external references. Written as well-formed XML (without the XHTML namespace: the file names no URL at all) so tests can parse it.
/// Bounds are typeset by the bundled KaTeX (<see cref="KatexBundle"/>, its only scripts), their full text expansion behind a disclosure.
/// </summary>
public static class HtmlRenderer
{
    private const string Css = """
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #1b1b1b; padding: 0 1em; }
        h1 { border-bottom: 2px solid #1f77b4; padding-bottom: .3em; }
        h2 { margin-top: 2em; color: #1f4e79; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
        th, td { border: 1px solid #c8c8c8; padding: .35em .7em; text-align: left; vertical-align: top; }
        th { background: #eef3f8; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #f8f8f8; }
        code { background: #f3f3f3; padding: .1em .3em; border-radius: 3px; }
        figure { margin: 1.5em 0; }
        figure img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { color: #555; font-size: 0.9em; margin-top: .4em; }
        .bound-math { overflow-x: auto; overflow-y: hidden; padding: .2em 0; }
        details.bound-text code { display: block; white-space: pre-wrap; word-break: break-all; font-size: 0.8em; }
        .violated { color: #b00020; font-weight: bold; }
        ul.headline li { margin: .25em 0; }
        """;

    public static string Render(RankingReport report, IReadOnlyList<RenderedPlot> plots)
    {
        var plotByName = plots.ToDictionary(p => p.Name);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<title>FimBounds ranking report</title>\n<style>\n").Append(Css).Append("</style>\n")
            .Append(KatexBundle.HeadElements).Append("</head>\n<body>\n");
        html.Append("<h1>FimBounds ranking report</h1>\n");
        html.Append("<p>Theory vs measurement vs attacks. The metric is λ<sub>max</sub>(F(x)), the largest eigenvalue of the input-space Fisher information (larger = more sensitive). ")
            .Append($"Numbers are rounded to {RankingReport.SignificantDigits} significant digits; rank 1 = most robust; ties share the mean rank.</p>\n");

        html.Append("<ul class=\"headline\">\n");
        foreach (string line in Headline.Lines(report))
        {
            string css = line.StartsWith("BOUND VIOLATED", StringComparison.Ordinal) ? " class=\"violated\"" : "";
            html.Append("<li").Append(css).Append('>').Append(HtmlText.Encode(line)).Append("</li>\n");
        }
        html.Append("</ul>\n");

        Heading(html, "Run");
        html.Append("<table id=\"run\">\n<tbody>\n");
        foreach (var (name, value) in MarkdownRenderer.RunFacts(report.Run))
        {
            html.Append("<tr><th>").Append(HtmlText.Encode(name)).Append("</th><td>").Append(HtmlText.Encode(value)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        Heading(html, "Assumptions of the theory");
        html.Append("<ul>\n");
        foreach (string assumption in report.Theory.Assumptions.DefaultIfEmpty("none stated"))
        {
            html.Append("<li>").Append(HtmlText.Encode(assumption)).Append("</li>\n");
        }
        foreach (string finding in report.Theory.Findings)
        {
            html.Append("<li>Finding: ").Append(HtmlText.Encode(finding)).Append("</li>\n");
        }
        html.Append("</ul>\n");

        Heading(html, "Symbolic bounds");
        html.Append("<ul>\n");
        foreach (ModelReport m in report.Models.DistinctBy(m => m.Spec))
        {
            // The element's text is the LaTeX source, which stays readable if scripts are off; KaTeX replaces it.
            html.Append("<li><strong>").Append(HtmlText.Encode(m.Spec)).Append("</strong>")
                .Append("<div class=\"bound-math\" data-latex=\"").Append(HtmlText.Encode(m.BoundLatex)).Append("\">")
                .Append(HtmlText.Encode(m.BoundLatex)).Append("</div>")
                .Append("<details class=\"bound-text\"><summary>Full expansion</summary><code>").Append(HtmlText.Encode(m.BoundText))
                .Append("</code></details></li>\n");
        }
        html.Append("</ul>\n");

        TableSection(html, ReportTables.Models(report), "models");
        TableSection(html, ReportTables.BoundVsMeasured(report), "bound-vs-measured");
        Figure(html, plotByName, BoundVsMeasuredPlot.Name);
        Figure(html, plotByName, LambdaDistributionPlot.Name);
        TableSection(html, ReportTables.Rankings(report), "rankings");
        TableSection(html, ReportTables.RankingCriteria(report), "ranking-criteria");
        TableSection(html, ReportTables.Agreement(report), "agreement");
        TableSection(html, ReportTables.Sensitivity(report), "sensitivity");
        if (report.Models.Any(m => m.Looseness is not null))
        {
            TableSection(html, ReportTables.Looseness(report), "looseness");
            Figure(html, plotByName, LoosenessPlot.Name);
        }
        if (!Figure(html, plotByName, SensitivityScatterPlot.Name))
        {
            html.Append("<p>No attacked inputs with a minimal ε: no scatter plot.</p>\n");
        }

        if (CertificationTables.Any(report))
        {
            TableSection(html, CertificationTables.Sandwich(report), "certification");
            html.Append("<p>").Append(HtmlText.Encode(CertificationTables.Note)).Append("</p>\n");
            Figure(html, plotByName, CertifiedRadiusPlot.Name);
        }

        Heading(html, "Certificate gap per layer");
        html.Append("<p>").Append(HtmlText.Encode(MarkdownRenderer.CertificateGapNote)).Append("</p>\n");
        foreach (ModelReport m in report.Models)
        {
            html.Append("<h3>").Append(HtmlText.Encode(m.Label)).Append("</h3>\n");
            if (m.Layers.Count == 0)
            {
                html.Append("<p>No per-layer factors were recorded.</p>\n");
                continue;
            }
            HtmlTable.Append(html, ReportTables.Layers(m), "layers-" + LayerFactorPlot.FileStem(m.Id));
            Figure(html, plotByName, LayerFactorPlot.NameOf(m));
        }

        html.Append(KatexBundle.RenderScript).Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Heading(StringBuilder html, string title) =>
        html.Append("<h2>").Append(HtmlText.Encode(title)).Append("</h2>\n");

    private static void TableSection(StringBuilder html, Table table, string id)
    {
        Heading(html, table.Title);
        HtmlTable.Append(html, table, id);
    }

    private static bool Figure(StringBuilder html, IReadOnlyDictionary<string, RenderedPlot> plots, string name)
    {
        if (!plots.TryGetValue(name, out RenderedPlot? plot))
        {
            return false;
        }
        html.Append("<figure>\n<img alt=\"").Append(HtmlText.Encode(plot.Title)).Append("\" width=\"").Append(plot.Width)
            .Append("\" height=\"").Append(plot.Height).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(plot.Png)).Append("\" />\n<figcaption>").Append(HtmlText.Encode(plot.Caption))
            .Append("</figcaption>\n</figure>\n");
        return true;
    }
}

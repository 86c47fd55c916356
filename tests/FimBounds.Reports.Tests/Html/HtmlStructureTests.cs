using System.Xml;
using System.Xml.Linq;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Html;

/// <summary>report.html is one well-formed, self-contained file: no network, no scripts but the bundled KaTeX, every image inline.</summary>
public sealed class HtmlStructureTests
{
    private static readonly string Html = ReportWriter.Render(SampleReport.Build()).Html;

    private static XDocument Parse() =>
        XDocument.Load(XmlReader.Create(new StringReader(Html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }));

    [Fact]
    public void Is_well_formed()
    {
        XDocument doc = Parse();
        Assert.Equal("html", doc.Root!.Name.LocalName);
        Assert.NotNull(doc.Root.Element("head")?.Element("style"));
        Assert.StartsWith("<!DOCTYPE html>", Html);
    }

    [Fact]
    public void Has_the_tables()
    {
        var ids = Parse().Descendants("table").Select(t => (string?)t.Attribute("id")).ToHashSet();
        foreach (string id in new[] { "run", "models", "bound-vs-measured", "rankings", "agreement", "sensitivity",
                                      "layers-vgg-mini-standard", "layers-vgg-mini-pgd-trained", "layers-resnet-mini-standard" })
        {
            Assert.Contains(id, ids);
        }
        XElement rankings = Parse().Descendants("table").Single(t => (string?)t.Attribute("id") == "rankings");
        Assert.Equal(4, rankings.Element("tbody")!.Elements("tr").Count());
        Assert.Equal(["Model", "Theory", "Measured FIM", "Attack (PGD)", "Bound (weights)", "Paper"],
            rankings.Element("thead")!.Descendants("th").Select(th => th.Value));
    }

    [Fact]
    public void Every_image_is_an_inline_png_and_every_plot_is_there()
    {
        var images = Parse().Descendants("img").ToList();
        Assert.Equal(8, images.Count); // bound vs measured, distributions, scatter, certified radius, looseness, three models with layers
        foreach (XElement img in images)
        {
            string src = (string)img.Attribute("src")!;
            Assert.StartsWith("data:image/png;base64,", src);
            byte[] png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.False(string.IsNullOrWhiteSpace((string?)img.Attribute("alt")));
        }
    }

    [Fact]
    public void References_nothing_outside_the_file()
    {
        // KaTeX's own source names the SVG/MathML namespaces and its documentation, which are not fetched.
        string outsideScripts = System.Text.RegularExpressions.Regex.Replace(Html, "<script>.*?</script>", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.DoesNotContain("http://", outsideScripts, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", outsideScripts, StringComparison.OrdinalIgnoreCase);
        XDocument doc = Parse();
        // Two inline scripts: the bundled KaTeX and the lines that typeset the bounds with it.
        Assert.Equal(2, doc.Descendants("script").Count());
        Assert.All(doc.Descendants("script"), s => Assert.Null(s.Attribute("src")));
        Assert.Contains("katex.render(", doc.Descendants("script").Last().Value);
        Assert.Empty(doc.Descendants("link"));
        Assert.Empty(doc.Descendants("iframe"));
        Assert.All(doc.Descendants().Attributes("src"), a => Assert.StartsWith("data:", a.Value));
        Assert.All(doc.Descendants().Attributes("href"), a => Assert.StartsWith("#", a.Value));
    }

    [Fact]
    public void Text_from_the_model_is_escaped()
    {
        var hostile = FimBounds.Reports.Ranking.RankingReportBuilder.Build(
            SampleReport.Run with { Dataset = "<script>alert(1)</script> & more" }, SampleReport.Measurements, SampleReport.Theory);
        string html = ReportWriter.Render(hostile).Html;
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html);
    }
}

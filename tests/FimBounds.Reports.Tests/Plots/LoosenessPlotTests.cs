using FimBounds.Reports.Model;
using FimBounds.Reports.Plots;
using FimBounds.Reports.Ranking;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Plots;

/// <summary>The looseness plot: every model's bar is its tightness, cut into the factors that multiply to it.</summary>
public sealed class LoosenessPlotTests
{
    [Fact]
    public void Each_bar_ends_at_the_tightness_and_its_pieces_follow_one_another()
    {
        RankingReport report = SampleReport.Build();
        IReadOnlyList<LoosenessPlot.Piece> pieces = LoosenessPlot.Layout(report);
        List<ModelReport> withLooseness = report.Models.Where(m => m.Looseness is not null).ToList();
        Assert.NotEmpty(withLooseness);
        foreach (ModelReport model in withLooseness)
        {
            var bar = pieces.Where(p => p.Model == model.Label).ToList();
            Assert.Equal(0.0, bar[0].Start);
            for (int i = 1; i < bar.Count; i++)
            {
                Assert.Equal(bar[i - 1].End, bar[i].Start);
            }
            Assert.Equal(Math.Log10(model.Looseness!.Tightness), bar[^1].End, 9);
            // Certificates and composition split the Lipschitz gap, so it is not drawn again whole.
            Assert.DoesNotContain(bar, p => p.Factor.StartsWith("Lipschitz", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Without_attained_norms_the_lipschitz_gap_shows_whole()
    {
        RankingReport sample = SampleReport.Build();
        RankingReport report = sample with
        {
            Models = sample.Models.Select(m => m.Looseness is null ? m : m with { Looseness = m.Looseness with { Certificates = null, Composition = null } }).ToList(),
        };
        IReadOnlyList<LoosenessPlot.Piece> pieces = LoosenessPlot.Layout(report);
        Assert.Contains(pieces, p => p.Factor.StartsWith("Lipschitz", StringComparison.Ordinal));
        Assert.DoesNotContain(pieces, p => p.Factor.StartsWith("certificates", StringComparison.Ordinal));
        foreach (ModelReport model in report.Models.Where(m => m.Looseness is not null))
        {
            Assert.Equal(Math.Log10(model.Looseness!.Tightness), pieces.Last(p => p.Model == model.Label).End, 9);
        }
    }

    [Fact]
    public void Without_looseness_there_is_no_plot_and_no_link()
    {
        RankingReport sample = SampleReport.Build();
        RankingReport report = sample with { Models = sample.Models.Select(m => m with { Looseness = null }).ToList() };
        Assert.Null(LoosenessPlot.Render(report));
        Assert.DoesNotContain(LoosenessPlot.File, ReportWriter.Render(report).Markdown);
    }

    [Fact]
    public void The_markdown_links_the_svg_and_the_html_shows_the_figure()
    {
        RankingReport report = SampleReport.Build();
        var rendered = ReportWriter.Render(report);
        Assert.Contains("](plots/" + LoosenessPlot.File + ")", rendered.Markdown);
        Assert.Contains("alt=\"Where the looseness comes from\"", rendered.Html);
        Assert.Contains(PlotRenderer.RenderAll(report), p => p.Name == LoosenessPlot.Name);
    }
}

using System.Xml.Linq;
using FimBounds.Reports.Plots;
using FimBounds.Reports.Ranking;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Plots;

/// <summary>Plots render headless: PNGs with drawn pixels (read back and counted) and well-formed SVG.</summary>
public sealed class PlotRenderingTests
{
    private static readonly IReadOnlyList<RenderedPlot> Plots = PlotRenderer.RenderAll(SampleReport.Build());

    [Fact]
    public void Renders_every_plot_in_a_fixed_order()
    {
        Assert.Equal(
            ["bound-vs-measured", "lambda-distribution", "lambda-vs-epsilon", "certified-radius-vs-pgd-epsilon", "looseness",
             "layer-factors-resnet-mini-standard", "layer-factors-vgg-mini-standard", "layer-factors-vgg-mini-pgd-trained"],
            Plots.Select(p => p.Name));
    }

    [Fact]
    public void Pngs_are_not_blank()
    {
        foreach (RenderedPlot plot in Plots)
        {
            var pixels = PixelStatistics.Of(plot.Png);
            Assert.Equal((plot.Width, plot.Height), (pixels.Width, pixels.Height));
            // Axes, labels, markers and fills: a blank image has one colour, a frame alone a handful.
            Assert.True(pixels.DistinctColors > 20, $"{plot.Name}: only {pixels.DistinctColors} colours");
            Assert.True(pixels.NonBackgroundFraction > 0.01, $"{plot.Name}: only {pixels.NonBackgroundFraction:P2} drawn");
        }
    }

    [Fact]
    public void Svgs_are_well_formed_and_carry_the_text()
    {
        foreach (RenderedPlot plot in Plots)
        {
            XDocument svg = XDocument.Parse(plot.Svg);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }
        Assert.Contains("vgg-mini", Plots[0].Svg);
    }

    [Fact]
    public void Without_attacked_inputs_the_scatter_is_left_out()
    {
        var report = RankingReportBuilder.Build(SampleReport.Run, SampleReport.Measurements.Select(m => m with { Inputs = [] }));
        var plots = PlotRenderer.RenderAll(report);
        Assert.DoesNotContain(plots, p => p.Name == "lambda-vs-epsilon");
        Assert.Contains("No attacked inputs", ReportWriter.Render(report).Html);
    }

    [Fact]
    public void Zero_lambda_values_do_not_break_the_log_scale()
    {
        var report = RankingReportBuilder.Build(SampleReport.Run,
            SampleReport.Measurements.Select(m => m with { LambdaMax = [0.0, .. m.LambdaMax] }));
        RenderedPlot distribution = PlotRenderer.RenderAll(report).Single(p => p.Name == "lambda-distribution");
        Assert.Contains("4 input(s) with λ_max = 0", distribution.Caption);
        Assert.True(PixelStatistics.Of(distribution.Png).DistinctColors > 20);
    }

    [Fact]
    public void Rendering_honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => PlotRenderer.RenderAll(SampleReport.Build(), cancelled.Token));
    }
}

using FimBounds.Reports.Model;

namespace FimBounds.Reports.Plots;

/// <summary>Renders every plot of a report with ScottPlot, in a fixed order.</summary>
public static class PlotRenderer
{
    public static IReadOnlyList<RenderedPlot> RenderAll(RankingReport report, CancellationToken cancellation = default)
    {
        var plots = new List<RenderedPlot>();
        void Add(RenderedPlot? plot)
        {
            if (plot is not null)
            {
                plots.Add(plot);
            }
            cancellation.ThrowIfCancellationRequested();
        }

        cancellation.ThrowIfCancellationRequested();
        Add(BoundVsMeasuredPlot.Render(report));
        Add(LambdaDistributionPlot.Render(report));
        Add(SensitivityScatterPlot.Render(report));
        Add(CertifiedRadiusPlot.Render(report));
        Add(LoosenessPlot.Render(report));
        foreach (ModelReport model in report.Models)
        {
            Add(LayerFactorPlot.Render(model));
        }
        return plots;
    }
}

using FimBounds.Reports.Model;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>Per model, on a log scale: the global bound above the measured max, p95 and median λ_max.</summary>
internal static class BoundVsMeasuredPlot
{
    public const string Name = "bound-vs-measured";

    public static RenderedPlot Render(RankingReport report)
    {
        using Plot plot = PlotStyle.Create("Global bound vs measured λ_max", "", "λ_max (log scale)");
        var models = report.Models;
        var labels = models.Select(m => m.Label).ToList();
        var all = new List<double>();

        // A segment from the median to the bound shows the gap the bound leaves. Solid, not dashed:
        // Skia's SVG backend cannot write dash effects (it prints a warning to stderr for each).
        for (int i = 0; i < models.Count; i++)
        {
            if (models[i].Fim.Median > 0)
            {
                var gap = plot.Add.Line(i, LogAxis.Log(models[i].Fim.Median), i, LogAxis.Log(models[i].BoundGlobal));
                gap.LineColor = Colors.Gray.WithAlpha(0.5);
                gap.LineWidth = 2;
            }
        }

        Series(plot, models, m => m.BoundGlobal, "global bound", MarkerShape.FilledTriangleDown, PlotStyle.Series(3), all);
        Series(plot, models, m => m.Fim.Max, "measured max", MarkerShape.FilledCircle, PlotStyle.Series(0), all);
        Series(plot, models, m => m.Fim.P95, "measured p95", MarkerShape.OpenCircle, PlotStyle.Series(0), all);
        Series(plot, models, m => m.Fim.Median, "measured median", MarkerShape.FilledSquare, PlotStyle.Series(2), all);

        LogAxis.Apply(plot.Axes.Left);
        var (low, high) = LogAxis.DecadeLimits(all);
        plot.Axes.SetLimitsY(low, high);
        PlotStyle.CategoryTicksBottom(plot, labels);
        plot.ShowLegend(Alignment.UpperRight);

        return PlotStyle.Render(plot, Name, "Bound vs measured",
            "Global bound (triangle) and the measured λ_max distribution (max, p95, median) per model, log scale. " +
            "The grey segment spans median to bound: the looseness of the bound.", 1000, 560);
    }

    private static void Series(Plot plot, IReadOnlyList<ModelReport> models, Func<ModelReport, double> value,
        string legend, MarkerShape shape, Color color, List<double> all)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < models.Count; i++)
        {
            double v = value(models[i]);
            if (v > 0) // zero has no place on a log scale
            {
                xs.Add(i);
                ys.Add(LogAxis.Log(v));
            }
        }
        all.AddRange(ys);
        var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), shape, 11, color);
        markers.LegendText = legend;
    }
}

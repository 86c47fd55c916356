using FimBounds.Reports.Model;
using FimBounds.Reports.Statistics;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>λ_max against the minimal adversarial ε per input, log–log, one colour per model, with the pooled least-squares trend.</summary>
internal static class SensitivityScatterPlot
{
    public const string Name = "lambda-vs-epsilon";

    public static RenderedPlot? Render(RankingReport report)
    {
        if (report.PooledEpsilonCorrelation.Pairs == 0)
        {
            return null;
        }
        using Plot plot = PlotStyle.Create("λ_max vs minimal adversarial ε", "λ_max (log scale)", "minimal ε (log scale)");
        var xsAll = new List<double>();
        var ysAll = new List<double>();

        for (int i = 0; i < report.Models.Count; i++)
        {
            ModelReport model = report.Models[i];
            var pairs = model.Inputs.Where(SensitivityCorrelation.IsUsable).ToList();
            if (pairs.Count == 0)
            {
                continue;
            }
            double[] xs = pairs.Select(p => LogAxis.Log(p.LambdaMax)).ToArray();
            double[] ys = pairs.Select(p => LogAxis.Log(p.MinimalEpsilon!.Value)).ToArray();
            xsAll.AddRange(xs);
            ysAll.AddRange(ys);
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 6, PlotStyle.Series(i).WithAlpha(0.7));
            markers.LegendText = model.Label;
        }

        if (report.PooledEpsilonTrend is { } trend)
        {
            double x0 = xsAll.Min(), x1 = xsAll.Max();
            var line = plot.Add.Line(x0, trend.Intercept + trend.Slope * x0, x1, trend.Intercept + trend.Slope * x1);
            line.LineColor = Colors.Black;
            line.LineWidth = 2;
            line.LegendText = $"trend: slope {Formatting.Numbers.Format(trend.Slope)}";
        }

        LogAxis.Apply(plot.Axes.Bottom);
        LogAxis.Apply(plot.Axes.Left);
        var (xLow, xHigh) = LogAxis.DecadeLimits(xsAll);
        var (yLow, yHigh) = LogAxis.DecadeLimits(ysAll);
        plot.Axes.SetLimits(xLow, xHigh, yLow, yHigh);
        plot.ShowLegend(Alignment.UpperRight);

        var c = report.PooledEpsilonCorrelation;
        return PlotStyle.Render(plot, Name, "λ_max vs minimal ε",
            $"Each dot is one test input. Pooled Spearman ρ {Formatting.Numbers.Signed(c.Coefficient)} " +
            $"(95% CI {Formatting.Numbers.Interval(c.Lower, c.Upper)}, {c.Pairs} pairs, {c.Excluded} excluded). " +
            "The line is the least-squares fit of log ε on log λ_max.",
            900, 620);
    }
}

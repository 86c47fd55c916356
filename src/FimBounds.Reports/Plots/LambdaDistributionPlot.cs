using FimBounds.Reports.Model;
using FimBounds.Reports.Statistics;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>Per model, the distribution of per-input λ_max on a log scale: a box (quartiles, median, min–max whiskers) over the raw values.</summary>
internal static class LambdaDistributionPlot
{
    public const string Name = "lambda-distribution";

    public static RenderedPlot Render(RankingReport report)
    {
        using Plot plot = PlotStyle.Create("Distribution of λ_max over test inputs", "", "λ_max (log scale)");
        var models = report.Models;
        var all = new List<double>();
        int zeros = 0;

        for (int i = 0; i < models.Count; i++)
        {
            double[] logs = models[i].Fim.Values.Where(v => v > 0).Select(LogAxis.Log).ToArray();
            zeros += models[i].Fim.Values.Count - logs.Length;
            if (logs.Length == 0)
            {
                continue;
            }
            all.AddRange(logs);
            Color color = PlotStyle.Series(i);

            // The raw values, spread sideways by a fixed pattern (not random: plots are reproducible).
            double[] xs = logs.Select((_, k) => i + 0.32 * ((k * 0.6180339887 % 1.0) - 0.5)).ToArray();
            plot.Add.Markers(xs, logs, MarkerShape.FilledCircle, 5, color.WithAlpha(0.6));

            var box = plot.Add.Box(new Box
            {
                Position = i,
                BoxMin = Descriptive.Quantile(logs, 0.25),
                BoxMax = Descriptive.Quantile(logs, 0.75),
                BoxMiddle = Descriptive.Quantile(logs, 0.5),
                WhiskerMin = logs.Min(),
                WhiskerMax = logs.Max(),
                Width = 0.5,
            });
            box.FillColor = color.WithAlpha(0.25);
            box.LineColor = color;
            plot.Add.Marker(i, LogAxis.Log(models[i].Fim.Mean), MarkerShape.Cross, 12, Colors.Black);
        }

        LogAxis.Apply(plot.Axes.Left);
        var (low, high) = LogAxis.DecadeLimits(all);
        plot.Axes.SetLimitsY(low, high);
        PlotStyle.CategoryTicksBottom(plot, models.Select(m => m.Label).ToList());

        string zeroNote = zeros > 0 ? $" {zeros} input(s) with λ_max = 0 are not shown on the log scale." : "";
        return PlotStyle.Render(plot, Name, "λ_max distributions",
            "Per model: box = quartiles with the median, whiskers = min and max, cross = mean, dots = individual inputs." + zeroNote,
            1000, 560);
    }
}

using FimBounds.Reports.Model;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>
/// One model's bound factors per layer as horizontal bars on a log scale (0 = factor 1: the layer neither
/// stretches nor shrinks), with the measured factor beside each where the engine measured it.
/// </summary>
internal static class LayerFactorPlot
{
    public static string NameOf(ModelReport model) => "layer-factors-" + FileStem(model.Id);

    public static RenderedPlot? Render(ModelReport model)
    {
        if (model.Layers.Count == 0)
        {
            return null;
        }
        using Plot plot = PlotStyle.Create($"Per-layer factors: {model.Label}", "factor (log scale)", "");
        bool measured = model.Layers.Any(l => l.AttainedFactor is > 0);
        var bounds = new List<Bar>();
        var measures = new List<Bar>();
        var positions = new List<double>();
        var labels = new List<string>();
        var values = new List<double>();
        int n = model.Layers.Count;

        for (int i = 0; i < n; i++)
        {
            LayerReport layer = model.Layers[i];
            double y = n - 1 - i; // first layer on top
            double offset = measured ? 0.2 : 0;
            double boundLog = LogAxis.Log(layer.BoundFactor);
            bounds.Add(new Bar { Position = y + offset, Value = boundLog, Size = measured ? 0.38 : 0.7, FillColor = PlotStyle.Series(3) });
            values.Add(boundLog);
            if (layer.AttainedFactor is > 0)
            {
                double measuredLog = LogAxis.Log(layer.AttainedFactor.Value);
                measures.Add(new Bar { Position = y - offset, Value = measuredLog, Size = 0.38, FillColor = PlotStyle.Series(0) });
                values.Add(measuredLog);
            }
            positions.Add(y);
            labels.Add(layer.Path);
        }

        var boundBars = plot.Add.Bars(bounds);
        boundBars.Horizontal = true;
        boundBars.LegendText = "bound factor";
        if (measures.Count > 0)
        {
            var measuredBars = plot.Add.Bars(measures);
            measuredBars.Horizontal = true;
            measuredBars.LegendText = "measured factor";
        }

        plot.Axes.Left.SetTicks(positions.ToArray(), labels.ToArray());
        LogAxis.Apply(plot.Axes.Bottom);
        var (low, high) = LogAxis.DecadeLimits(values.Append(0));
        plot.Axes.SetLimits(low, high, -0.7, n - 0.3);
        plot.ShowLegend(Alignment.LowerRight);

        int height = Math.Max(320, 110 + 26 * n);
        return PlotStyle.Render(plot, NameOf(model), $"Per-layer factors: {model.Label}",
            "Bars start at factor 1; right of it the layer can stretch a perturbation, left of it it shrinks one. " +
            "The bound is the product of the factors (squared, times ½).",
            900, height);
    }

    /// <summary>"vgg-mini/pgd-trained" → "vgg-mini-pgd-trained": safe in file names and URLs.</summary>
    public static string FileStem(string id) =>
        new string(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
}

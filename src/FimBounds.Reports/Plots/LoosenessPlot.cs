using FimBounds.Reports.Model;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>
/// Where each model's tightness (global bound / largest measured λ_max) comes from: one horizontal bar per model,
/// cut into the decades of its factors (softmax, layer certificates, composition of the layers, alignment), which
/// multiply to the tightness, so the bar's length is log₁₀ of the tightness. The layer that carries the largest
/// share of the bound is named at the bar's end.
/// </summary>
public static class LoosenessPlot
{
    public const string Name = "looseness";

    /// <summary>The plot's file in plots/ (the Markdown links it; the HTML inlines the PNG).</summary>
    public const string File = Name + ".svg";

    private sealed record Segment(string Legend, Func<BoundLooseness, double?> Factor, int Color);

    private static readonly Segment[] Segments =
    [
        new("softmax ½/λ(A)", l => l.Softmax, 2),
        new("certificates (upper/attained norms)²", l => l.Certificates, 3),
        new("composition (∏ attained norms / ‖PJ‖)²", l => l.Composition, 1),
        // Without attained norms the Lipschitz gap cannot be split: it shows whole.
        new("Lipschitz L²/‖PJ‖² (not split)", l => l.Certificates is null || l.Composition is null ? l.Lipschitz : null, 4),
        new("alignment", l => l.Alignment, 0),
    ];

    /// <summary>One cut of a model's bar: a factor's decades, from <paramref name="Start"/> to <paramref name="End"/> in log₁₀.</summary>
    public sealed record Piece(string Model, string Factor, double Start, double End);

    /// <summary>Every model's bar, cut by factor, in drawing order (the last piece of a model ends at log₁₀ of its tightness).</summary>
    public static IReadOnlyList<Piece> Layout(RankingReport report)
    {
        var pieces = new List<Piece>();
        foreach (ModelReport model in report.Models.Where(m => m.Looseness is not null))
        {
            double start = 0;
            foreach (Segment segment in Segments)
            {
                if (segment.Factor(model.Looseness!) is { } factor && factor > 0 && double.IsFinite(factor))
                {
                    double end = start + LogAxis.Log(factor);
                    pieces.Add(new Piece(model.Label, segment.Legend, start, end));
                    start = end;
                }
            }
        }
        return pieces;
    }

    public static RenderedPlot? Render(RankingReport report)
    {
        List<ModelReport> models = report.Models.Where(m => m.Looseness is not null).ToList();
        if (models.Count == 0)
        {
            return null;
        }
        using Plot plot = PlotStyle.Create("Where the looseness comes from", "bound / measured λ_max (log scale)", "");
        int n = models.Count;
        IReadOnlyList<Piece> pieces = Layout(report);
        var ends = new List<double> { 0 };
        var bars = Segments.Select(_ => new List<Bar>()).ToArray();
        for (int i = 0; i < n; i++)
        {
            double y = n - 1 - i; // first model on top
            double last = 0;
            foreach (Piece piece in pieces.Where(p => p.Model == models[i].Label))
            {
                int s = Array.FindIndex(Segments, x => x.Legend == piece.Factor);
                bars[s].Add(new Bar { Position = y, ValueBase = piece.Start, Value = piece.End, Size = 0.6, FillColor = PlotStyle.Series(Segments[s].Color) });
                ends.Add(piece.End);
                last = piece.End;
            }
            if (models[i].Looseness!.Layers.Count > 0)
            {
                LayerLooseness top = models[i].Looseness!.Layers[0];
                var label = plot.Add.Text($"  {top.Path}: {Math.Round(top.Log10Share, 1):0.#} decades", Math.Max(last, 0), y);
                label.LabelFontSize = 11;
                label.LabelAlignment = Alignment.MiddleLeft;
            }
        }
        for (int s = 0; s < Segments.Length; s++)
        {
            if (bars[s].Count > 0)
            {
                var series = plot.Add.Bars(bars[s]);
                series.Horizontal = true;
                series.LegendText = Segments[s].Legend;
            }
        }

        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), models.Select(m => m.Label).ToArray());
        LogAxis.Apply(plot.Axes.Bottom);
        var (low, high) = LogAxis.DecadeLimits(ends);
        // Room on the right for the layer names.
        plot.Axes.SetLimits(low, high + 0.35 * (high - low), -0.7, n - 0.3);
        plot.ShowLegend(Alignment.LowerRight);

        return PlotStyle.Render(plot, Name, "Where the looseness comes from",
            "Each bar is one model's tightness (global bound / largest measured λ_max) on a log scale, cut into the factors " +
            "that multiply to it at the input with the largest λ_max: the softmax factor, the layers' certificates " +
            "(certified against attained norms), their composition (the product of attained layer norms against the norm " +
            "of the product of the layers' Jacobians, squared) and the alignment. The name at each bar's end is the layer " +
            "with the largest share of the bound (its factor squared, in decades).",
            1000, Math.Max(360, 160 + 48 * n));
    }
}

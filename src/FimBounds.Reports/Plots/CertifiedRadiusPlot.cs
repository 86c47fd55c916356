using FimBounds.Reports.Model;
using ScottPlot;

namespace FimBounds.Reports.Plots;

/// <summary>
/// Certified radius against PGD's minimal ε per input, log–log, one colour per model, with the diagonal:
/// a sound certificate never lies above it (radius ≤ true minimal distance ≤ PGD's ε), and the closer the
/// points come to it, the less the certification and the attack leave undecided.
/// </summary>
internal static class CertifiedRadiusPlot
{
    public const string Name = "certified-radius-vs-pgd-epsilon";  // Tables.CertificationTables.PlotFile names its PNG

    public static RenderedPlot? Render(RankingReport report)
    {
        var models = report.Models.Where(m => m.Certification is not null).ToList();
        if (models.Count == 0)
        {
            return null;
        }
        using Plot plot = PlotStyle.Create("Certified radius vs PGD minimal ε", "PGD minimal ε (log scale)", "certified radius (log scale)");
        var all = new List<double>();
        int shown = 0, left = 0;
        for (int i = 0; i < models.Count; i++)
        {
            var points = models[i].Certification!.PerInput
                .Where(p => p.Correct && p.Radius > 0 && p.PgdMinimalEpsilon is { } e && e > 0 && double.IsFinite(e))
                .ToList();
            left += models[i].Certification!.PerInput.Count(p => p.Correct) - points.Count;
            if (points.Count == 0)
            {
                continue;
            }
            shown += points.Count;
            double[] xs = points.Select(p => LogAxis.Log(p.PgdMinimalEpsilon!.Value)).ToArray();
            double[] ys = points.Select(p => LogAxis.Log(p.Radius)).ToArray();
            all.AddRange(xs);
            all.AddRange(ys);
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 6, PlotStyle.Series(report.Models.ToList().IndexOf(models[i])).WithAlpha(0.7));
            markers.LegendText = models[i].Label;
        }
        var (low, high) = LogAxis.DecadeLimits(all.Count == 0 ? [-3, -1] : all);
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.LineColor = Colors.Black;
        diagonal.LineWidth = 1.5f;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "radius = PGD ε";
        LogAxis.Apply(plot.Axes.Bottom);
        LogAxis.Apply(plot.Axes.Left);
        plot.Axes.SetLimits(low, high, low, high);
        plot.ShowLegend(Alignment.LowerRight);
        return PlotStyle.Render(plot, Name, "Certified radius vs PGD minimal ε",
            $"Each dot is one correctly classified input ({shown} shown; {left} left out: radius 0 or no adversarial example within the search). " +
            "A sound certificate lies on or below the dashed diagonal.",
            760, 620);
    }
}

using ScottPlot;
using SkiaSharp;

namespace FimBounds.Reports.Plots;

/// <summary>Look shared by every plot, and the font choice that makes headless Linux render text.</summary>
internal static class PlotStyle
{
    // ScottPlot picks its default font from what the system reports; on a headless Debian that can be a
    // serif face or nothing. A sans face with Greek glyphs (λ, ε) is preferred when one is installed.
    private static readonly string[] PreferredFonts = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static readonly Lazy<string?> SansFont = new(() =>
    {
        var installed = new HashSet<string>(SKFontManager.Default.GetFontFamilies(), StringComparer.OrdinalIgnoreCase);
        return PreferredFonts.FirstOrDefault(installed.Contains);
    });

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont.Value is { } font)
        {
            plot.Font.Set(font);
        }
        plot.Title(title, 16);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    public static Color Series(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>Categorical ticks under the x axis, slanted so long model names do not overlap.</summary>
    public static void CategoryTicksBottom(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 40 + 4.5f * labels.Max(l => l.Length);
        plot.Axes.SetLimitsX(-0.6, labels.Count - 0.4);
    }

    public static RenderedPlot Render(Plot plot, string name, string title, string caption, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        string svg = plot.GetSvgXml(width, height);
        return new RenderedPlot(name, title, caption, png, svg, width, height);
    }
}

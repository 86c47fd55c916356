namespace FimBounds.Reports.Plots;

/// <summary>One plot, rendered: PNG bytes for the HTML's data URI and plots/*.png, SVG text for plots/*.svg.</summary>
/// <param name="Name">File stem, e.g. "bound-vs-measured" (plots/bound-vs-measured.png).</param>
public sealed record RenderedPlot(string Name, string Title, string Caption, byte[] Png, string Svg, int Width, int Height);

using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace FimBounds.Reports.Plots;

/// <summary>
/// A log10 axis: the data are plotted as log10(value) and the ticks are labelled with the values, one per
/// decade, with log-spaced minor ticks. Limits snap to whole decades so at least two labels show.
/// </summary>
internal static class LogAxis
{
    public static void Apply(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = Label,
        };
    }

    /// <summary>
    /// Whole-decade limits around log10 values (at least one decade wide), padded by a few percent so
    /// points on a decade line and the end labels are not clipped at the frame.
    /// </summary>
    public static (double Low, double High) DecadeLimits(IEnumerable<double> logValues)
    {
        double[] values = logValues.Where(double.IsFinite).ToArray();
        if (values.Length == 0)
        {
            return (0, 1);
        }
        double low = Math.Floor(values.Min());
        double high = Math.Ceiling(values.Max());
        if (high <= low)
        {
            high = low + 1;
        }
        double pad = 0.03 * (high - low);
        return (low - pad, high + pad);
    }

    public static double Log(double value) => Math.Log10(value);

    private static string Label(double exponent)
    {
        int k = (int)Math.Round(exponent);
        return k is >= -3 and <= 4
            ? Math.Pow(10, k).ToString("0.###", CultureInfo.InvariantCulture)
            : "1e" + k.ToString(CultureInfo.InvariantCulture);
    }
}

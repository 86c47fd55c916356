using System.Globalization;
using FimBounds.Reports.Model;

namespace FimBounds.Reports.Formatting;

/// <summary>
/// Rounds and prints every number of the report the same way: to <see cref="RankingReport.SignificantDigits"/>
/// significant digits, invariant culture. Rounding goes through the decimal text ("G4") so the value written
/// is exactly the value printed and snapshots do not move with the last bits of a computation.
/// </summary>
public static class Numbers
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string RoundFormat = "G" + RankingReport.SignificantDigits;

    public static double Round(double value)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }
        double rounded = double.Parse(value.ToString(RoundFormat, Invariant), Invariant);
        return rounded == 0 ? 0.0 : rounded; // no "-0"
    }

    public static double? Round(double? value) => value is { } v ? Round(v) : null;

    /// <summary>Fixed notation from 0.001 to 99 999, scientific (1.235e+07) outside; no trailing zeros.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "−∞";
        double r = Round(value);
        if (r == 0) return "0";
        double a = Math.Abs(r);
        if (a >= 1e-3 && a < 1e5)
        {
            // One decimal more than needed, then trimmed: guards against log10 landing just below an integer.
            int decimals = Math.Max(0, RankingReport.SignificantDigits - (int)Math.Floor(Math.Log10(a)));
            string text = r.ToString("F" + decimals, Invariant);
            return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
        }
        return r.ToString("0.###e+00", Invariant);
    }

    public static string Format(double? value) => value is { } v ? Format(v) : "n/a";

    /// <summary>A fraction in [0, 1] as a percentage, e.g. 0.8753 → "87.53%".</summary>
    public static string Percent(double fraction) => Format(fraction * 100) + "%";

    public static string Percent(double? fraction) => fraction is { } f ? Percent(f) : "n/a";

    /// <summary>A rank; ties are halves ("1.5").</summary>
    public static string Rank(double rank) => rank.ToString("0.##", Invariant);

    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>A signed coefficient such as a correlation: "+0.8208", "-1".</summary>
    public static string Signed(double? value) => value switch
    {
        null => "n/a",
        > 0 => "+" + Format(value.Value),
        _ => Format(value.Value),
    };

    /// <summary>A confidence interval "[-0.91, -0.42]", or n/a.</summary>
    public static string Interval(double? lower, double? upper) =>
        lower is { } l && upper is { } u ? $"[{Format(l)}, {Format(u)}]" : "n/a";
}

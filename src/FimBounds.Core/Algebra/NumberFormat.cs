using System;
using System.Globalization;

namespace FimBounds.Core.Algebra;

/// <summary>Compact invariant-culture number text for reports: 4 significant digits, scientific outside [10⁻³, 10⁴).</summary>
public static class NumberFormat
{
    public static string Compact(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return x.ToString(CultureInfo.InvariantCulture);
        }
        if (x == 0)
        {
            return "0";
        }
        double magnitude = Math.Abs(x);
        if (magnitude >= 1e-3 && magnitude < 1e4)
        {
            return x.ToString("G4", CultureInfo.InvariantCulture);
        }
        return FromLog10(Math.Log10(magnitude), x < 0);
    }

    /// <summary>10^log10 without overflow: "3.015e+124".</summary>
    public static string FromLog10(double log10, bool negative = false)
    {
        if (double.IsNaN(log10))
        {
            return "NaN";
        }
        if (log10 >= -3 && log10 < 4)
        {
            return (negative ? "-" : "") + Math.Pow(10, log10).ToString("G4", CultureInfo.InvariantCulture);
        }
        double exponent = Math.Floor(log10);
        double mantissa = Math.Pow(10, log10 - exponent);
        if (mantissa >= 9.9995)
        {
            mantissa /= 10;
            exponent += 1;
        }
        return (negative ? "-" : "") + mantissa.ToString("F3", CultureInfo.InvariantCulture) + "e" + exponent.ToString("+0;-0", CultureInfo.InvariantCulture);
    }
}

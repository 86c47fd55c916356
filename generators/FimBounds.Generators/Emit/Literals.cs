using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace FimBounds.Generators.Emit;

/// <summary>C# literals, always in the invariant culture so the output does not depend on the build machine.</summary>
internal static class Literals
{
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") || text.Contains("e") ? text : text + ".0";
    }

    public static string Doubles(IEnumerable<double> values) => "new double[] { " + string.Join(", ", values.Select(Double)) + " }";
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FimBounds.Core.Algebra;

/// <summary>
/// LaTeX with minimal parentheses. Products print as \frac when they have denominators, with a leading
/// rational coefficient otherwise (\frac{1}{2} \sigma^{2}), and runs of identically shaped factors as
/// indexed products (see <see cref="IndexedProducts"/>).
/// </summary>
internal sealed class LatexPrinter
{
    private const int SumLevel = 1;
    private const int ProductLevel = 2;
    private const int PowerLevel = 4;
    private const int AtomLevel = 5;

    private readonly LatexOptions _options;
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);

    private LatexPrinter(LatexOptions options) => _options = options;

    public static string Print(Expr e) => Print(e, LatexOptions.Default);

    public static string Print(Expr e, LatexOptions options) => new LatexPrinter(options).Format(e).Text;

    internal void AddPlaceholder(string name, string latex) => _placeholders[name] = latex;

    internal (string Text, int Level) Format(Expr e)
    {
        switch (e)
        {
            case NumberExpr n:
                return FormatNumber(n.Value);
            case SymbolExpr s:
                return (_placeholders.TryGetValue(s.Name, out string? latex) ? latex : LatexSymbols.Symbol(s.Name), AtomLevel);
            case SumExpr sum:
                return (FormatSum(sum), SumLevel);
            case ProductExpr p:
                return FormatProduct(p);
            case PowerExpr pw:
                return FormatPower(pw);
            case ExtremumExpr x:
                return ((x.IsMax ? @"\max" : @"\min") + @"\left(" + JoinArgs(x.Args) + @"\right)", AtomLevel);
            case AbsExpr a:
                return (@"\left|" + Format(a.Argument).Text + @"\right|", AtomLevel);
            default:
                throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
        }
    }

    internal string Wrap(Expr e, int level)
    {
        var (text, own) = Format(e);
        return own < level ? @"\left(" + text + @"\right)" : text;
    }

    private string JoinArgs(IEnumerable<Expr> args)
    {
        var sb = new StringBuilder();
        foreach (Expr a in args)
        {
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }
            sb.Append(Format(a).Text);
        }
        return sb.ToString();
    }

    public static (string Text, int Level) FormatNumber(Number n)
    {
        if (!n.IsExact)
        {
            string g = Math.Abs(n.Value).ToString("G6", CultureInfo.InvariantCulture);
            int e = g.IndexOf('E');
            if (e >= 0)
            {
                int exponent = int.Parse(g.Substring(e + 1), CultureInfo.InvariantCulture);
                g = g.Substring(0, e) + @" \times 10^{" + exponent.ToString(CultureInfo.InvariantCulture) + "}";
            }
            return ((n.Sign < 0 ? "-" : "") + g, n.Sign < 0 || e >= 0 ? ProductLevel : AtomLevel);
        }
        string sign = n.Sign < 0 ? "-" : "";
        long num = Math.Abs(n.Numerator);
        long den = n.Denominator;
        if (den == 1)
        {
            return (sign + num.ToString(CultureInfo.InvariantCulture), n.Sign < 0 ? ProductLevel : AtomLevel);
        }
        if (Number.IsPowerOfTen(den, out int digits))
        {
            if (num == 1 && digits >= 4)
            {
                return (sign + "10^{-" + digits.ToString(CultureInfo.InvariantCulture) + "}", n.Sign < 0 ? ProductLevel : PowerLevel);
            }
            return (n.DecimalString(digits), n.Sign < 0 ? ProductLevel : AtomLevel);
        }
        return (sign + @"\frac{" + num.ToString(CultureInfo.InvariantCulture) + "}{" + den.ToString(CultureInfo.InvariantCulture) + "}",
            n.Sign < 0 ? ProductLevel : AtomLevel);
    }

    private string FormatSum(SumExpr sum)
    {
        var sb = new StringBuilder();
        foreach (Expr term in sum.Terms)
        {
            if (sb.Length == 0)
            {
                sb.Append(Format(term).Text);
            }
            else if (PrinterSupport.IsNegative(term))
            {
                sb.Append(" - ").Append(Wrap(Expr.Neg(term), ProductLevel));
            }
            else
            {
                sb.Append(" + ").Append(Wrap(term, ProductLevel));
            }
        }
        return sb.ToString();
    }

    private (string, int) FormatProduct(ProductExpr p)
    {
        var (c, numeratorFactors, denominatorFactors) = PrinterSupport.SplitFraction(p);
        string sign = c.Sign < 0 ? "-" : "";
        c = c.Abs();
        var numerator = JoinFactors(numeratorFactors);
        if (denominatorFactors.Count == 0)
        {
            // Leading coefficient, then the factors: \frac{1}{2} \sigma^{2}.
            string coefficient = c.IsOne ? "" : FormatNumber(c).Text;
            return (sign + Juxtapose(coefficient, numerator), ProductLevel);
        }
        var denominator = JoinFactors(denominatorFactors);
        string top;
        string bottom;
        if (c.IsExact)
        {
            bool decimalCoefficient = Number.IsPowerOfTen(c.Denominator, out _) && c.Denominator != 1;
            top = decimalCoefficient ? Juxtapose(FormatNumber(c).Text, numerator) : Juxtapose(c.Numerator == 1 ? "" : c.Numerator.ToString(CultureInfo.InvariantCulture), numerator);
            bottom = decimalCoefficient || c.Denominator == 1 ? denominator : Juxtapose(c.Denominator.ToString(CultureInfo.InvariantCulture), denominator);
        }
        else
        {
            top = Juxtapose(FormatNumber(c).Text, numerator);
            bottom = denominator;
        }
        return (sign + @"\frac{" + (top.Length == 0 ? "1" : top) + "}{" + bottom + "}", ProductLevel);
    }

    /// <summary>Factors side by side, with indexed products for runs of identically shaped factors.</summary>
    private string JoinFactors(List<Expr> factors)
    {
        var parts = new List<string>();
        if (_options.IndexedProducts && factors.Count >= _options.MinimumRun)
        {
            foreach (IndexedProducts.Part part in IndexedProducts.Find(factors, _options))
            {
                parts.Add(part.Shapes is null ? Wrap(part.Single!, PowerLevel) : FormatIndexed(part));
            }
        }
        else
        {
            foreach (Expr f in factors)
            {
                parts.Add(Wrap(f, PowerLevel));
            }
        }
        string joined = "";
        foreach (string part in parts)
        {
            joined = Juxtapose(joined, part);
        }
        return joined;
    }

    private string FormatIndexed(IndexedProducts.Part part)
    {
        foreach (var (name, latex) in part.Placeholders!)
        {
            AddPlaceholder(name, latex);
        }
        string body = "";
        foreach (Expr shape in part.Shapes!)
        {
            body = Juxtapose(body, Wrap(shape, PowerLevel));
        }
        return @"\prod_{" + _options.Index + "=1}^{" + part.Count.ToString(CultureInfo.InvariantCulture) + "} " + body;
    }

    /// <summary>a b, or a \cdot b where b starts with a digit (2 \cdot 3^{x}).</summary>
    private static string Juxtapose(string a, string b)
    {
        if (a.Length == 0)
        {
            return b;
        }
        if (b.Length == 0)
        {
            return a;
        }
        return char.IsDigit(b[0]) ? a + @" \cdot " + b : a + " " + b;
    }

    private (string, int) FormatPower(PowerExpr pw)
    {
        if (pw.Exponent is NumberExpr k)
        {
            Number e = k.Value;
            if (e.Sign < 0)
            {
                return (@"\frac{1}{" + Format(Expr.Pow(pw.Base, Expr.Num(-e))).Text + "}", ProductLevel);
            }
            if (e == Number.Half)
            {
                return (@"\sqrt{" + Format(pw.Base).Text + "}", AtomLevel);
            }
            if (e.IsExact && e.Numerator == 1)
            {
                return (@"\sqrt[" + e.Denominator.ToString(CultureInfo.InvariantCulture) + "]{" + Format(pw.Base).Text + "}", AtomLevel);
            }
            string exponent = e.IsExact && !e.IsInteger && !Number.IsPowerOfTen(e.Denominator, out _)
                ? e.Numerator.ToString(CultureInfo.InvariantCulture) + "/" + e.Denominator.ToString(CultureInfo.InvariantCulture)
                : FormatNumber(e).Text;
            return (PowerBase(pw.Base) + "^{" + exponent + "}", PowerLevel);
        }
        return (PowerBase(pw.Base) + "^{" + Format(pw.Exponent).Text + "}", PowerLevel);
    }

    /// <summary>
    /// The base of a power; a symbol that carries its own superscript (\rho^{C}_{x}) is braced, because a second
    /// superscript on it is a LaTeX error ("double superscript").
    /// </summary>
    private string PowerBase(Expr b)
    {
        string text = Wrap(b, AtomLevel);
        return b is SymbolExpr && text.Contains("^") ? "{" + text + "}" : text;
    }
}

using System.Collections.Generic;
using System.Text;

namespace FimBounds.Core.Algebra;

/// <summary>
/// The parseable text form: + - * / ^, sqrt(), max(), min(), abs(), with only the parentheses the
/// precedence needs. Exact numbers print as integers, decimals (power-of-ten denominators) or p/q.
/// </summary>
internal static class TextPrinter
{
    // Precedence levels: a sub-expression of lower level than its context needs parentheses.
    private const int SumLevel = 1;
    private const int ProductLevel = 2;
    private const int PowerLevel = 4;
    private const int AtomLevel = 5;

    public static string Print(Expr e) => Format(e).Text;

    private static (string Text, int Level) Format(Expr e)
    {
        switch (e)
        {
            case NumberExpr n:
                return FormatNumber(n.Value);
            case SymbolExpr s:
                return (s.Name, AtomLevel);
            case SumExpr sum:
                return (FormatSum(sum), SumLevel);
            case ProductExpr p:
                return (FormatProduct(p), ProductLevel);
            case PowerExpr pw:
                return FormatPower(pw);
            case ExtremumExpr x:
                return ((x.IsMax ? "max(" : "min(") + JoinArgs(x.Args) + ")", AtomLevel);
            case AbsExpr a:
                return ("abs(" + Format(a.Argument).Text + ")", AtomLevel);
            default:
                throw new System.InvalidOperationException("Unknown expression node " + e.GetType().Name);
        }
    }

    private static (string, int) FormatNumber(Number n)
    {
        string text = n.ToString();
        bool atom = n.Sign >= 0 && text.IndexOf('/') < 0;
        return (text, atom ? AtomLevel : ProductLevel);
    }

    private static string Wrap(Expr e, int level)
    {
        var (text, own) = Format(e);
        return own < level ? "(" + text + ")" : text;
    }

    private static string JoinArgs(IEnumerable<Expr> args)
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

    private static string FormatSum(SumExpr sum)
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

    private static string FormatProduct(ProductExpr p)
    {
        var split = PrinterSupport.SplitFraction(p);
        var numerator = new List<string>();
        var denominator = new List<string>();
        Number c = split.Coefficient;
        bool prefixCoefficient = c.IsExact && !c.IsInteger && split.Denominator.Count == 0 && !Number.IsPowerOfTen(c.Denominator, out _);
        if (prefixCoefficient)
        {
            // ½·x² reads "1/2*x^2" rather than "x^2/2": the bound's constant stays in front.
            numerator.Add(c.Abs().ToString());
        }
        else if (c.IsExact)
        {
            if (c.Numerator != 1 && c.Numerator != -1)
            {
                numerator.Add(Number.Integer(System.Math.Abs(c.Numerator)).ToString());
            }
            if (c.Denominator != 1)
            {
                if (Number.IsPowerOfTen(c.Denominator, out _))
                {
                    // A decimal coefficient (1.13) prints as one number.
                    if (numerator.Count > 0)
                    {
                        numerator.RemoveAt(0);
                    }
                    numerator.Add(c.Abs().ToString());
                }
                else
                {
                    denominator.Add(Number.Integer(c.Denominator).ToString());
                }
            }
        }
        else
        {
            numerator.Add(c.Abs().ToString());
        }
        foreach (Expr f in split.Numerator)
        {
            numerator.Add(Wrap(f, PowerLevel));
        }
        foreach (Expr f in split.Denominator)
        {
            denominator.Add(Wrap(f, PowerLevel));
        }
        string top = numerator.Count == 0 ? "1" : string.Join("*", numerator);
        string text = top;
        if (denominator.Count == 1)
        {
            text += "/" + denominator[0];
        }
        else if (denominator.Count > 1)
        {
            text += "/(" + string.Join("*", denominator) + ")";
        }
        return c.Sign < 0 ? "-" + text : text;
    }

    private static (string, int) FormatPower(PowerExpr pw)
    {
        if (pw.Exponent is NumberExpr k)
        {
            if (k.Value.Sign < 0)
            {
                return ("1/" + Wrap(Expr.Pow(pw.Base, NumberExprNeg(k)), PowerLevel), ProductLevel);
            }
            if (k.Value == Number.Half)
            {
                return ("sqrt(" + Format(pw.Base).Text + ")", AtomLevel);
            }
        }
        return (Wrap(pw.Base, AtomLevel) + "^" + Wrap(pw.Exponent, AtomLevel), PowerLevel);
    }

    private static Expr NumberExprNeg(NumberExpr k) => Expr.Num(-k.Value);
}

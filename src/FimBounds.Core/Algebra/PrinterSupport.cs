using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>What the text and LaTeX printers share: signs and the numerator/denominator split of a product.</summary>
internal static class PrinterSupport
{
    /// <summary>A term printed after a " - " in a sum: a negative number or a product with a negative coefficient.</summary>
    public static bool IsNegative(Expr term) =>
        term switch
        {
            NumberExpr n => n.Value.Sign < 0,
            ProductExpr p => p.Factors[0] is NumberExpr c && c.Value.Sign < 0,
            _ => false,
        };

    /// <summary>A product as coefficient × numerator factors / denominator factors (negative numeric exponents move down).</summary>
    public static (Number Coefficient, List<Expr> Numerator, List<Expr> Denominator) SplitFraction(ProductExpr p)
    {
        Number coefficient = Number.One;
        var numerator = new List<Expr>();
        var denominator = new List<Expr>();
        foreach (Expr f in p.Factors)
        {
            switch (f)
            {
                case NumberExpr n:
                    coefficient *= n.Value;
                    break;
                case PowerExpr pw when pw.Exponent is NumberExpr k && k.Value.Sign < 0:
                    denominator.Add(Expr.Pow(pw.Base, Expr.Num(-k.Value)));
                    break;
                default:
                    numerator.Add(f);
                    break;
            }
        }
        return (coefficient, numerator, denominator);
    }
}

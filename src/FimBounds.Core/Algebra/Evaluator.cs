using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>Evaluation to double.</summary>
internal static class Evaluator
{
    public static double Evaluate(Expr e, IReadOnlyDictionary<string, double> values)
    {
        switch (e)
        {
            case NumberExpr n:
                return n.Value.Value;
            case SymbolExpr s:
                return values.TryGetValue(s.Name, out double v) ? v : throw new MissingSymbolException(s.Name, s.Meaning);
            case SumExpr sum:
                {
                    double total = 0;
                    foreach (Expr t in sum.Terms)
                    {
                        total += Evaluate(t, values);
                    }
                    return total;
                }
            case ProductExpr p:
                {
                    double total = 1;
                    foreach (Expr f in p.Factors)
                    {
                        total *= Evaluate(f, values);
                    }
                    return total;
                }
            case PowerExpr pw:
                return Power(Evaluate(pw.Base, values), pw.Exponent is NumberExpr k ? k.Value : (Number?)null, pw.Exponent, values);
            case ExtremumExpr x:
                {
                    double best = x.IsMax ? double.NegativeInfinity : double.PositiveInfinity;
                    foreach (Expr a in x.Args)
                    {
                        double v2 = Evaluate(a, values);
                        best = x.IsMax ? Math.Max(best, v2) : Math.Min(best, v2);
                    }
                    return best;
                }
            case AbsExpr a:
                return Math.Abs(Evaluate(a.Argument, values));
            default:
                throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
        }
    }

    private static double Power(double b, Number? k, Expr exponent, IReadOnlyDictionary<string, double> values)
    {
        if (k is Number n)
        {
            if (n == Number.Half)
            {
                return Math.Sqrt(b);
            }
            if (n.IsInteger && n.Numerator == 2)
            {
                return b * b;
            }
            if (n.IsInteger && n.Numerator == -1)
            {
                return 1.0 / b;
            }
            return Math.Pow(b, n.Value);
        }
        return Math.Pow(b, Evaluate(exponent, values));
    }
}

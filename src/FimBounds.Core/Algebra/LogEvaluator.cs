using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>
/// ln of a nonnegative expression computed in the log domain, so bounds like s^148·10^120 compare
/// without overflowing doubles. Applies to expressions built from nonnegative numbers (what a bound
/// becomes under assumptions); returns false otherwise.
/// </summary>
public static class LogEvaluator
{
    public static bool TryLog(Expr e, IReadOnlyDictionary<string, double> values, out double log)
    {
        try
        {
            log = Log(e, values);
            return !double.IsNaN(log);
        }
        catch (NotSupportedException)
        {
            log = double.NaN;
            return false;
        }
    }

    private static double Log(Expr e, IReadOnlyDictionary<string, double> values)
    {
        switch (e)
        {
            case NumberExpr n:
                return n.Value.Sign < 0 ? throw new NotSupportedException() : Math.Log(n.Value.Value);
            case SymbolExpr s:
                {
                    double v = values.TryGetValue(s.Name, out double found) ? found : throw new MissingSymbolException(s.Name, s.Meaning);
                    return v < 0 ? throw new NotSupportedException() : Math.Log(v);
                }
            case SumExpr sum:
                {
                    var logs = new List<double>(sum.Terms.Count);
                    double top = double.NegativeInfinity;
                    foreach (Expr t in sum.Terms)
                    {
                        double l = Log(t, values);
                        logs.Add(l);
                        top = Math.Max(top, l);
                    }
                    if (double.IsNegativeInfinity(top))
                    {
                        return top;
                    }
                    double total = 0;
                    foreach (double l in logs)
                    {
                        total += Math.Exp(l - top);
                    }
                    return top + Math.Log(total);
                }
            case ProductExpr p:
                {
                    double total = 0;
                    foreach (Expr f in p.Factors)
                    {
                        total += Log(f, values);
                    }
                    return total;
                }
            case PowerExpr pw:
                {
                    double exponent = pw.Exponent is NumberExpr k ? k.Value.Value : Evaluator.Evaluate(pw.Exponent, values);
                    return exponent * Log(pw.Base, values);
                }
            case ExtremumExpr x:
                {
                    double best = x.IsMax ? double.NegativeInfinity : double.PositiveInfinity;
                    foreach (Expr a in x.Args)
                    {
                        double l = Log(a, values);
                        best = x.IsMax ? Math.Max(best, l) : Math.Min(best, l);
                    }
                    return best;
                }
            case AbsExpr a:
                return Log(a.Argument, values);
            default:
                throw new NotSupportedException();
        }
    }
}

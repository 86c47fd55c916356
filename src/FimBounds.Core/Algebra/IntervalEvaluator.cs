using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>Evaluation to intervals (sound enclosures), for bounds built from measured quantities with error bars.</summary>
internal static class IntervalEvaluator
{
    public static Interval Evaluate(Expr e, IReadOnlyDictionary<string, Interval> values)
    {
        switch (e)
        {
            case NumberExpr n:
                return Enclose(n.Value);
            case SymbolExpr s:
                {
                    if (!values.TryGetValue(s.Name, out Interval v))
                    {
                        throw new MissingSymbolException(s.Name, s.Meaning);
                    }
                    // Symbols are nonnegative quantities: the part of an error bar below 0 is impossible.
                    if (v.Hi < 0)
                    {
                        throw new ArgumentException($"The symbol '{s.Name}' stands for a nonnegative quantity but its interval {v} lies below 0.");
                    }
                    return new Interval(Math.Max(0, v.Lo), v.Hi);
                }
            case SumExpr sum:
                {
                    Interval total = Interval.Point(0);
                    foreach (Expr t in sum.Terms)
                    {
                        total += Evaluate(t, values);
                    }
                    return total;
                }
            case ProductExpr p:
                {
                    Interval total = Interval.Point(1);
                    foreach (Expr f in p.Factors)
                    {
                        total *= Evaluate(f, values);
                    }
                    return total;
                }
            case PowerExpr pw:
                {
                    Interval b = Evaluate(pw.Base, values);
                    if (pw.Exponent is NumberExpr k)
                    {
                        bool integer = k.Value.IsInteger;
                        bool even = integer && k.Value.Numerator % 2 == 0;
                        Interval r = b.Pow(k.Value.Value, integer, even);
                        // An exponent like 1/3 is not a double: x^k̃ differs from x^k by |ln x|·|k − k̃| relatively.
                        return IsDyadic(k.Value) ? r : r.WidenRelative(1e-14 * (1 + Math.Abs(Math.Log(Math.Max(b.Hi, 1e-300))) + Math.Abs(Math.Log(Math.Max(b.Lo, 1e-300)))));
                    }
                    return Interval.Pow(b, Evaluate(pw.Exponent, values));
                }
            case ExtremumExpr x:
                {
                    Interval best = Evaluate(x.Args[0], values);
                    for (int i = 1; i < x.Args.Count; i++)
                    {
                        Interval next = Evaluate(x.Args[i], values);
                        best = x.IsMax ? Interval.Max(best, next) : Interval.Min(best, next);
                    }
                    return best;
                }
            case AbsExpr a:
                return Evaluate(a.Argument, values).Abs();
            default:
                throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
        }
    }

    private static bool IsDyadic(Number k) => !k.IsExact || (k.Denominator & (k.Denominator - 1)) == 0;

    /// <summary>An exact rational p/q is not always a double: enclose it by the neighbours of its rounding.</summary>
    private static Interval Enclose(Number n)
    {
        double v = n.Value;
        if (!n.IsExact || n.Denominator == 1 && Math.Abs(n.Numerator) < (1L << 53))
        {
            return Interval.Point(v);
        }
        return new Interval(Interval.NextDown(v), Interval.NextUp(v));
    }
}

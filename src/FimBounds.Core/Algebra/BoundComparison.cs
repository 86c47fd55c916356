using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>
/// Two nonnegative expressions compared as functions of one variable v (the other symbols fixed):
/// exactly (their canonical ratio), asymptotically (leading terms as v → ∞) and numerically on an
/// interval (which is larger where, and the crossover points where they are equal).
/// </summary>
public sealed record BoundComparison(
    Expr First,
    Expr Second,
    string Variable,
    Expr Ratio,
    LeadingTerm? FirstLeading,
    LeadingTerm? SecondLeading,
    int AsymptoticSign,
    IReadOnlyList<double> Crossovers,
    double From,
    double To)
{
    /// <summary>
    /// Compares <paramref name="first"/> with <paramref name="second"/> over v ∈ [from, to]: crossovers are
    /// sign changes of ln f − ln g on a log-spaced grid of <paramref name="gridPoints"/> points, refined by
    /// bisection to relative precision 10⁻¹².
    /// </summary>
    public static BoundComparison Compare(
        Expr first, Expr second, string variable, IReadOnlyDictionary<string, double> fixedValues,
        double from, double to, int gridPoints = 400)
    {
        if (!(from > 0 && to > from))
        {
            throw new ArgumentException("The comparison interval needs 0 < from < to.");
        }
        Expr ratio = Expr.Div(first, second);
        LeadingTerm? a = LeadingTerm.TryFind(first, variable, fixedValues, out LeadingTerm la) ? la : null;
        LeadingTerm? b = LeadingTerm.TryFind(second, variable, fixedValues, out LeadingTerm lb) ? lb : null;
        int asymptotic = a is LeadingTerm x && b is LeadingTerm y ? Math.Sign(x.CompareTo(y)) : 0;

        var values = new Dictionary<string, double>(fixedValues.Count + 1);
        foreach (var kv in fixedValues)
        {
            values[kv.Key] = kv.Value;
        }
        double Difference(double v)
        {
            values[variable] = v;
            return LogOrPlain(first, values) - LogOrPlain(second, values);
        }

        var crossovers = new List<double>();
        double logFrom = Math.Log(from);
        double step = (Math.Log(to) - logFrom) / (gridPoints - 1);
        double previousV = from;
        double previous = Difference(from);
        for (int i = 1; i < gridPoints; i++)
        {
            double v = Math.Exp(logFrom + i * step);
            double d = Difference(v);
            if (previous == 0)
            {
                crossovers.Add(previousV);
            }
            else if (Math.Sign(d) != 0 && Math.Sign(d) != Math.Sign(previous))
            {
                crossovers.Add(Bisect(Difference, previousV, v, previous));
            }
            previousV = v;
            previous = d;
        }
        return new BoundComparison(first, second, variable, ratio, a, b, asymptotic, crossovers, from, to);
    }

    /// <summary>Sign of f − g at v (1: the first is larger).</summary>
    public int SignAt(double v, IReadOnlyDictionary<string, double> fixedValues)
    {
        var values = new Dictionary<string, double>(fixedValues.Count + 1);
        foreach (var kv in fixedValues)
        {
            values[kv.Key] = kv.Value;
        }
        values[Variable] = v;
        return Math.Sign(LogOrPlain(First, values) - LogOrPlain(Second, values));
    }

    private static double LogOrPlain(Expr e, IReadOnlyDictionary<string, double> values) =>
        LogEvaluator.TryLog(e, values, out double log) ? log : Math.Log(e.Evaluate(values));

    private static double Bisect(Func<double, double> f, double lo, double hi, double fLo)
    {
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            double fm = f(mid);
            if (fm == 0)
            {
                return mid;
            }
            if (Math.Sign(fm) == Math.Sign(fLo))
            {
                lo = mid;
                fLo = fm;
            }
            else
            {
                hi = mid;
            }
        }
        return Math.Sqrt(lo * hi);
    }
}

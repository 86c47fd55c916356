using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>
/// The behaviour c·v^k of an expression as one variable v → ∞ with every other symbol fixed: the
/// exponent k exact (a rational), the coefficient c a double.
/// </summary>
public readonly struct LeadingTerm : IComparable<LeadingTerm>
{
    public LeadingTerm(double coefficient, Number exponent)
    {
        Coefficient = coefficient;
        Exponent = exponent;
    }

    public double Coefficient { get; }

    public Number Exponent { get; }

    /// <summary>Which grows faster: the larger exponent, then the larger coefficient.</summary>
    public int CompareTo(LeadingTerm other)
    {
        int c = Exponent.CompareTo(other.Exponent);
        return c != 0 ? c : Coefficient.CompareTo(other.Coefficient);
    }

    public string ToText(string variable) =>
        NumberFormat.Compact(Coefficient) + "*" + variable + "^" + (Exponent.IsInteger ? Exponent.ToString() : "(" + Exponent + ")");

    public override string ToString() => ToText("v");

    /// <summary>
    /// The leading term of <paramref name="e"/> as <paramref name="variable"/> → ∞, by structural rules
    /// (sums keep their fastest-growing terms, products add exponents, powers scale them, max/min pick).
    /// Returns false where a rule does not apply (a symbolic exponent in the variable, exact cancellation
    /// of leading terms).
    /// </summary>
    public static bool TryFind(Expr e, string variable, IReadOnlyDictionary<string, double> fixedValues, out LeadingTerm term)
    {
        try
        {
            term = Find(e, variable, fixedValues);
            return !double.IsNaN(term.Coefficient) && !double.IsInfinity(term.Coefficient) && term.Coefficient != 0;
        }
        catch (NotSupportedException)
        {
            term = default;
            return false;
        }
    }

    private static LeadingTerm Find(Expr e, string variable, IReadOnlyDictionary<string, double> fixedValues)
    {
        switch (e)
        {
            case NumberExpr n:
                return new LeadingTerm(n.Value.Value, Number.Zero);
            case SymbolExpr s when s.Name == variable:
                return new LeadingTerm(1, Number.One);
            case SymbolExpr s:
                return fixedValues.TryGetValue(s.Name, out double v) ? new LeadingTerm(v, Number.Zero) : throw new MissingSymbolException(s.Name, s.Meaning);
            case SumExpr sum:
                {
                    Number? top = null;
                    double coefficient = 0;
                    double scale = 0;
                    foreach (Expr t in sum.Terms)
                    {
                        LeadingTerm lt = Find(t, variable, fixedValues);
                        if (lt.Coefficient == 0)
                        {
                            continue;
                        }
                        if (top is null || lt.Exponent > top.Value)
                        {
                            top = lt.Exponent;
                            coefficient = lt.Coefficient;
                            scale = Math.Abs(lt.Coefficient);
                        }
                        else if (lt.Exponent == top.Value)
                        {
                            coefficient += lt.Coefficient;
                            scale = Math.Max(scale, Math.Abs(lt.Coefficient));
                        }
                    }
                    if (top is null)
                    {
                        return new LeadingTerm(0, Number.Zero);
                    }
                    if (Math.Abs(coefficient) <= 1e-12 * scale)
                    {
                        throw new NotSupportedException("The leading terms cancel.");
                    }
                    return new LeadingTerm(coefficient, top.Value);
                }
            case ProductExpr p:
                {
                    double coefficient = 1;
                    Number exponent = Number.Zero;
                    foreach (Expr f in p.Factors)
                    {
                        LeadingTerm lt = Find(f, variable, fixedValues);
                        coefficient *= lt.Coefficient;
                        exponent += lt.Exponent;
                    }
                    return new LeadingTerm(coefficient, exponent);
                }
            case PowerExpr pw when pw.Exponent is NumberExpr k:
                {
                    LeadingTerm b = Find(pw.Base, variable, fixedValues);
                    if (b.Coefficient < 0 && !k.Value.IsInteger)
                    {
                        throw new NotSupportedException("A fractional power of a negative leading term.");
                    }
                    return new LeadingTerm(Math.Pow(b.Coefficient, k.Value.Value), b.Exponent * k.Value);
                }
            case PowerExpr pw:
                {
                    // A symbolic exponent is fine as long as it does not involve the variable.
                    foreach (SymbolExpr s in pw.Exponent.Symbols())
                    {
                        if (s.Name == variable)
                        {
                            throw new NotSupportedException("The variable appears in an exponent.");
                        }
                    }
                    LeadingTerm b = Find(pw.Base, variable, fixedValues);
                    if (b.Exponent.IsZero)
                    {
                        return new LeadingTerm(Math.Pow(b.Coefficient, Evaluator.Evaluate(pw.Exponent, fixedValues)), Number.Zero);
                    }
                    throw new NotSupportedException("A symbolic exponent of a growing base.");
                }
            case ExtremumExpr x:
                {
                    LeadingTerm best = Find(x.Args[0], variable, fixedValues);
                    for (int i = 1; i < x.Args.Count; i++)
                    {
                        LeadingTerm next = Find(x.Args[i], variable, fixedValues);
                        if (best.Coefficient < 0 || next.Coefficient < 0)
                        {
                            throw new NotSupportedException("max/min of terms with negative leading coefficients.");
                        }
                        bool larger = next.CompareTo(best) > 0;
                        if (x.IsMax == larger)
                        {
                            best = next;
                        }
                    }
                    return best;
                }
            case AbsExpr a:
                {
                    LeadingTerm inner = Find(a.Argument, variable, fixedValues);
                    return new LeadingTerm(Math.Abs(inner.Coefficient), inner.Exponent);
                }
            default:
                throw new NotSupportedException("Unknown expression node " + e.GetType().Name);
        }
    }
}

using System;
using System.Collections.Generic;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Algebra;

/// <summary>
/// The smart constructors behind <see cref="Expr"/>: every rewrite that defines the canonical form.
/// Each builder assumes its operands are canonical and returns a canonical result.
/// </summary>
internal static class Canonical
{
    // ---- sums -----------------------------------------------------------------------------------

    public static Expr Sum(IEnumerable<Expr> terms)
    {
        Number constant = Number.Zero;
        var order = new List<Expr>();
        var coefficients = new Dictionary<Expr, Number>();

        void AddTerm(Expr term)
        {
            switch (term)
            {
                case NumberExpr n:
                    constant += n.Value;
                    break;
                case SumExpr s:
                    foreach (Expr t in s.Terms)
                    {
                        AddTerm(t);
                    }
                    break;
                default:
                    (Number c, Expr rest) = SplitCoefficient(term);
                    if (rest is SumExpr inner)
                    {
                        // c·(a + b) stays whole as a product (products never distribute, which keeps them
                        // associative) but spreads out as a term of a sum, so a + b − (a + b) is 0.
                        foreach (Expr t in inner.Terms)
                        {
                            AddTerm(Product(new[] { NumberExpr.Of(c), t }));
                        }
                        break;
                    }
                    if (coefficients.TryGetValue(rest, out Number existing))
                    {
                        coefficients[rest] = existing + c;
                    }
                    else
                    {
                        coefficients[rest] = c;
                        order.Add(rest);
                    }
                    break;
            }
        }

        foreach (Expr term in terms)
        {
            AddTerm(term);
        }

        var kept = new List<(Expr Remainder, Number Coefficient)>(order.Count);
        foreach (Expr rest in order)
        {
            Number c = coefficients[rest];
            if (!c.IsZero)
            {
                kept.Add((rest, c));
            }
        }
        kept.Sort((x, y) =>
        {
            // Terms sort by their symbolic part first, so √3·γ sits with γ, not after every symbol.
            int r = ExprOrder.Instance.Compare(WithoutSurds(x.Remainder), WithoutSurds(y.Remainder));
            if (r != 0)
            {
                return r;
            }
            r = ExprOrder.Instance.Compare(x.Remainder, y.Remainder);
            return r != 0 ? r : x.Coefficient.CompareTo(y.Coefficient);
        });

        var result = new List<Expr>(kept.Count + 1);
        if (!constant.IsZero)
        {
            result.Add(NumberExpr.Of(constant));
        }
        foreach (var (rest, c) in kept)
        {
            result.Add(WithCoefficient(c, rest));
        }
        return result.Count switch
        {
            0 => NumberExpr.ZeroExpr,
            1 => result[0],
            _ => new SumExpr(result.ToEquatableList()),
        };
    }

    private static Expr WithoutSurds(Expr rest)
    {
        if (rest is not ProductExpr p || !(p.Factors[0] is PowerExpr first && first.Base is NumberExpr))
        {
            return rest;
        }
        var symbolic = new List<Expr>(p.Factors.Count);
        foreach (Expr f in p.Factors)
        {
            if (!(f is PowerExpr pw && pw.Base is NumberExpr))
            {
                symbolic.Add(f);
            }
        }
        return symbolic.Count switch
        {
            0 => rest,
            1 => symbolic[0],
            _ => new ProductExpr(symbolic.ToEquatableList()),
        };
    }

    /// <summary>A term as coefficient × rest, the rest carrying no numeric factor.</summary>
    internal static (Number Coefficient, Expr Remainder) SplitCoefficient(Expr term)
    {
        if (term is ProductExpr p && p.Factors[0] is NumberExpr n)
        {
            return (n.Value, p.Factors.Count == 2 ? p.Factors[1] : new ProductExpr(Slice(p.Factors, 1)));
        }
        return (Number.One, term);
    }

    /// <summary>c × rest for a canonical rest without coefficient (c ≠ 0).</summary>
    private static Expr WithCoefficient(Number c, Expr rest)
    {
        if (c.IsOne)
        {
            return rest;
        }
        var factors = new List<Expr> { NumberExpr.Of(c) };
        if (rest is ProductExpr p)
        {
            factors.AddRange(p.Factors);
        }
        else
        {
            factors.Add(rest);
        }
        return new ProductExpr(factors.ToEquatableList());
    }

    private static EquatableList<Expr> Slice(EquatableList<Expr> list, int start)
    {
        var items = new Expr[list.Count - start];
        for (int i = start; i < list.Count; i++)
        {
            items[i - start] = list[i];
        }
        return new EquatableList<Expr>(items);
    }

    // ---- products -------------------------------------------------------------------------------

    public static Expr Product(IEnumerable<Expr> factors)
    {
        Number coefficient = Number.One;
        var order = new List<Expr>();
        var exponents = new Dictionary<Expr, List<Expr>>();

        void AddPower(Expr @base, Expr exponent)
        {
            if (!exponents.TryGetValue(@base, out List<Expr>? list))
            {
                list = new List<Expr>();
                exponents[@base] = list;
                order.Add(@base);
            }
            list.Add(exponent);
        }

        void AddFactor(Expr factor)
        {
            switch (factor)
            {
                case NumberExpr n:
                    coefficient *= n.Value;
                    break;
                case ProductExpr p:
                    foreach (Expr f in p.Factors)
                    {
                        AddFactor(f);
                    }
                    break;
                case PowerExpr pw:
                    AddPower(pw.Base, pw.Exponent);
                    break;
                default:
                    AddPower(factor, NumberExpr.OneExpr);
                    break;
            }
        }

        foreach (Expr factor in factors)
        {
            AddFactor(factor);
        }
        if (coefficient.IsZero)
        {
            return NumberExpr.ZeroExpr;
        }

        var result = new List<Expr>(order.Count);
        foreach (Expr @base in order)
        {
            List<Expr> list = exponents[@base];
            Expr merged = list.Count == 1 ? Power(@base, list[0]) : Power(@base, Sum(list));
            switch (merged)
            {
                case NumberExpr n:
                    coefficient *= n.Value;
                    break;
                case ProductExpr p:
                    // Only a numeric power splits into coefficient × surds (2^(3/2) = 2·√2); its bases are unique.
                    foreach (Expr f in p.Factors)
                    {
                        if (f is NumberExpr fn)
                        {
                            coefficient *= fn.Value;
                        }
                        else
                        {
                            result.Add(f);
                        }
                    }
                    break;
                default:
                    result.Add(merged);
                    break;
            }
        }
        if (coefficient.IsZero)
        {
            return NumberExpr.ZeroExpr;
        }
        if (result.Count == 0)
        {
            return NumberExpr.Of(coefficient);
        }
        if (result.Count == 1 && coefficient.IsOne)
        {
            return result[0];
        }
        result.Sort(ExprOrder.Instance);
        if (!coefficient.IsOne)
        {
            result.Insert(0, NumberExpr.Of(coefficient));
        }
        return new ProductExpr(result.ToEquatableList());
    }

    // ---- powers ---------------------------------------------------------------------------------

    public static Expr Power(Expr @base, Expr exponent)
    {
        if (exponent is NumberExpr ne)
        {
            if (ne.Value.IsZero)
            {
                return NumberExpr.OneExpr;
            }
            if (ne.Value.IsOne)
            {
                return @base;
            }
        }
        switch (@base)
        {
            case NumberExpr nb:
                if (nb.Value.IsOne)
                {
                    return NumberExpr.OneExpr;
                }
                if (exponent is NumberExpr nexp)
                {
                    return NumericPower(nb.Value, nexp.Value) ?? new PowerExpr(@base, exponent);
                }
                return new PowerExpr(@base, exponent);
            case PowerExpr pb when IsInteger(exponent) || IsNonNegative(pb.Base):
                return Power(pb.Base, Product(new[] { pb.Exponent, exponent }));
            case ProductExpr pp when IsInteger(exponent) || IsNonNegative(pp):
                {
                    var powered = new List<Expr>(pp.Factors.Count);
                    foreach (Expr f in pp.Factors)
                    {
                        powered.Add(Power(f, exponent));
                    }
                    return Product(powered);
                }
            case AbsExpr abs when exponent is NumberExpr even && even.Value.IsInteger && even.Value.Numerator % 2 == 0:
                return Power(abs.Argument, exponent);
            default:
                return new PowerExpr(@base, exponent);
        }
    }

    private static bool IsInteger(Expr e) => e is NumberExpr n && n.Value.IsInteger;

    /// <summary>
    /// b^e for numbers: exact where the result is rational; for a positive rational base and a
    /// fractional exponent, coefficient × surds n^f with integer n ≥ 2 and 0 &lt; f &lt; 1 (the canonical
    /// irrational factor). Null when the power is not real (negative base, fractional exponent).
    /// </summary>
    private static Expr? NumericPower(Number b, Number e)
    {
        if (b.IsZero)
        {
            if (e.Sign < 0)
            {
                throw new DivideByZeroException("The algebra cannot raise 0 to a negative power.");
            }
            return NumberExpr.ZeroExpr;
        }
        if (e.IsInteger)
        {
            return NumberExpr.Of(b.PowInteger(e.Numerator));
        }
        if (b.Sign < 0)
        {
            return null;
        }
        if (!b.IsExact || !e.IsExact)
        {
            return NumberExpr.Of(Number.FromDouble(Math.Pow(b.Value, e.Value)));
        }
        Number coefficient = Number.One;
        var surds = new List<Expr>(2);
        if (!AppendIntegerPower(b.Numerator, e, ref coefficient, surds) || !AppendIntegerPower(b.Denominator, -e, ref coefficient, surds))
        {
            return NumberExpr.Of(Number.FromDouble(Math.Pow(b.Value, e.Value)));
        }
        if (surds.Count == 0)
        {
            return NumberExpr.Of(coefficient);
        }
        surds.Sort(ExprOrder.Instance);
        if (!coefficient.IsOne)
        {
            surds.Insert(0, NumberExpr.Of(coefficient));
        }
        return surds.Count == 1 ? surds[0] : new ProductExpr(surds.ToEquatableList());
    }

    /// <summary>n^e for an integer n ≥ 1 and a fractional exact e = a/q: exact when n is a perfect q-th power.</summary>
    private static bool AppendIntegerPower(long n, Number e, ref Number coefficient, List<Expr> surds)
    {
        if (n == 1)
        {
            return true;
        }
        long q = e.Denominator;
        long root = IntegerRoot(n, q);
        if (root > 0)
        {
            Number exact = Number.Integer(root).PowInteger(e.Numerator);
            if (!exact.IsExact)
            {
                return false;
            }
            coefficient *= exact;
            return coefficient.IsExact;
        }
        // Pull perfect q-th powers out of n: 8^(1/2) = 2·2^(1/2).
        long free = n;
        long outside = 1;
        for (long d = 2; d <= 3000; d++)
        {
            long dq = PowerOrZero(d, q);
            if (dq == 0 || dq > free)
            {
                break;
            }
            while (free % dq == 0)
            {
                free /= dq;
                outside *= d;
            }
        }
        if (outside > 1)
        {
            Number pulled = Number.Integer(outside).PowInteger(e.Numerator);
            if (!pulled.IsExact)
            {
                return false;
            }
            coefficient *= pulled;
            if (free == 1)
            {
                return coefficient.IsExact;
            }
            n = free;
        }
        long whole = e.Floor();
        Number fraction = e - Number.Integer(whole);
        Number wholePower = Number.Integer(n).PowInteger(whole);
        if (!wholePower.IsExact)
        {
            return false;
        }
        coefficient *= wholePower;
        surds.Add(new PowerExpr(NumberExpr.Of(Number.Integer(n)), NumberExpr.Of(fraction)));
        return coefficient.IsExact;
    }

    private static long PowerOrZero(long d, long q)
    {
        try
        {
            long p = 1;
            for (long i = 0; i < q; i++)
            {
                p = checked(p * d);
            }
            return p;
        }
        catch (OverflowException)
        {
            return 0;
        }
    }

    /// <summary>r with r^q = n exactly, or 0.</summary>
    private static long IntegerRoot(long n, long q)
    {
        if (q > 62)
        {
            return 0;
        }
        long guess = (long)Math.Round(Math.Pow(n, 1.0 / q));
        for (long r = Math.Max(1, guess - 1); r <= guess + 1; r++)
        {
            try
            {
                long p = 1;
                for (long i = 0; i < q; i++)
                {
                    p = checked(p * r);
                }
                if (p == n)
                {
                    return r;
                }
            }
            catch (OverflowException)
            {
                return 0;
            }
        }
        return 0;
    }

    // ---- max / min / abs ------------------------------------------------------------------------

    public static Expr Extremum(IEnumerable<Expr> args, bool isMax)
    {
        Number? best = null;
        var seen = new HashSet<Expr>();
        var rest = new List<Expr>();

        void AddArg(Expr a)
        {
            switch (a)
            {
                case NumberExpr n:
                    best = best is Number b ? (isMax ? (n.Value > b ? n.Value : b) : (n.Value < b ? n.Value : b)) : n.Value;
                    break;
                case ExtremumExpr x when x.IsMax == isMax:
                    foreach (Expr inner in x.Args)
                    {
                        AddArg(inner);
                    }
                    break;
                default:
                    if (seen.Add(a))
                    {
                        rest.Add(a);
                    }
                    break;
            }
        }

        foreach (Expr a in args)
        {
            AddArg(a);
        }
        if (rest.Count == 0)
        {
            return best is Number only ? NumberExpr.Of(only) : throw new ArgumentException((isMax ? "max" : "min") + " needs at least one argument.");
        }
        if (best is Number constant && constant.Sign <= 0 && rest.TrueForAll(IsNonNegative))
        {
            // Every other argument is ≥ 0 ≥ the constant: max drops it, min is it.
            if (!isMax)
            {
                return NumberExpr.Of(constant);
            }
            best = null;
        }
        if (best is Number keep)
        {
            rest.Add(NumberExpr.Of(keep));
        }
        if (rest.Count == 1)
        {
            return rest[0];
        }
        rest.Sort(ExprOrder.Instance);
        return new ExtremumExpr(isMax, rest.ToEquatableList());
    }

    public static Expr Absolute(Expr x)
    {
        if (x is NumberExpr n)
        {
            return NumberExpr.Of(n.Value.Abs());
        }
        if (IsNonNegative(x))
        {
            return x;
        }
        if (x is ProductExpr p && p.Factors[0] is NumberExpr c && c.Value.Sign < 0)
        {
            return Absolute(Product(new[] { NumberExpr.Of(-c.Value), SplitCoefficient(p).Remainder }));
        }
        return new AbsExpr(x);
    }

    // ---- sign analysis --------------------------------------------------------------------------

    /// <summary>Sufficient test for ≥ 0 under the algebra's domain (every symbol ≥ 0).</summary>
    public static bool IsNonNegative(Expr e)
    {
        switch (e)
        {
            case NumberExpr n:
                return n.Value.Sign >= 0;
            case SymbolExpr:
            case AbsExpr:
                return true;
            case SumExpr s:
                foreach (Expr t in s.Terms)
                {
                    if (!IsNonNegative(t))
                    {
                        return false;
                    }
                }
                return true;
            case ProductExpr p:
                foreach (Expr f in p.Factors)
                {
                    if (!IsNonNegative(f))
                    {
                        return false;
                    }
                }
                return true;
            case PowerExpr pw:
                return IsNonNegative(pw.Base) || (pw.Exponent is NumberExpr k && k.Value.IsInteger && k.Value.Numerator % 2 == 0);
            case ExtremumExpr x:
                foreach (Expr a in x.Args)
                {
                    bool nonNegative = IsNonNegative(a);
                    if (x.IsMax && nonNegative)
                    {
                        return true;
                    }
                    if (!x.IsMax && !nonNegative)
                    {
                        return false;
                    }
                }
                return !x.IsMax;
            default:
                return false;
        }
    }
}

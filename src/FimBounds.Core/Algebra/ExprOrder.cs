using System;
using System.Collections.Generic;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Algebra;

/// <summary>
/// The total order that sorts operands of sums, products and extrema. Numbers first, then symbols (by
/// name with digit runs compared as numbers, so sigma_features.2 precedes sigma_features.10), then
/// compound nodes. A power sorts next to its base, so x, x² and x⁻¹ neighbour each other.
/// </summary>
public sealed class ExprOrder : IComparer<Expr>
{
    public static readonly ExprOrder Instance = new();

    private ExprOrder()
    {
    }

    public int Compare(Expr? a, Expr? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null)
        {
            return -1;
        }
        if (b is null)
        {
            return 1;
        }
        // Powers compare by base first, then exponent (a bare x has exponent 1).
        if (a is PowerExpr || b is PowerExpr)
        {
            (Expr baseA, Expr expA) = Split(a);
            (Expr baseB, Expr expB) = Split(b);
            int c = Compare(baseA, baseB);
            return c != 0 ? c : Compare(expA, expB);
        }
        int kind = a.KindRank.CompareTo(b.KindRank);
        if (kind != 0)
        {
            return kind;
        }
        switch (a)
        {
            case NumberExpr na:
                return na.Value.CompareTo(((NumberExpr)b).Value);
            case SymbolExpr sa:
                {
                    var sb = (SymbolExpr)b;
                    int c = NaturalCompare(sa.Name, sb.Name);
                    if (c != 0)
                    {
                        return c;
                    }
                    return string.CompareOrdinal(sa.Meaning?.ToString() ?? "", sb.Meaning?.ToString() ?? "");
                }
            case ProductExpr pa:
                return CompareLists(pa.Factors, ((ProductExpr)b).Factors);
            case SumExpr suma:
                return CompareLists(suma.Terms, ((SumExpr)b).Terms);
            case ExtremumExpr ea:
                return CompareLists(ea.Args, ((ExtremumExpr)b).Args);
            case AbsExpr aa:
                return Compare(aa.Argument, ((AbsExpr)b).Argument);
            default:
                throw new InvalidOperationException("Unknown expression node " + a.GetType().Name);
        }
    }

    private static (Expr Base, Expr Exponent) Split(Expr e) =>
        e is PowerExpr p ? (p.Base, p.Exponent) : (e, Expr.One);

    // Compared from the last operand backwards: products and sums sort by their "leading" (largest)
    // operand, so 2·x sorts next to x and a term's coefficient does not decide its place.
    private int CompareLists(EquatableList<Expr> a, EquatableList<Expr> b)
    {
        int i = a.Count - 1;
        int j = b.Count - 1;
        while (i >= 0 && j >= 0)
        {
            int c = Compare(a[i], b[j]);
            if (c != 0)
            {
                return c;
            }
            i--;
            j--;
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Ordinal comparison in which runs of digits compare by value; ties fall back to ordinal.</summary>
    public static int NaturalCompare(string a, string b)
    {
        int i = 0;
        int j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsDigit(a[i]) && char.IsDigit(b[j]))
            {
                int si = i;
                int sj = j;
                while (i < a.Length && char.IsDigit(a[i]))
                {
                    i++;
                }
                while (j < b.Length && char.IsDigit(b[j]))
                {
                    j++;
                }
                string da = a.Substring(si, i - si).TrimStart('0');
                string db = b.Substring(sj, j - sj).TrimStart('0');
                int c = da.Length != db.Length ? da.Length.CompareTo(db.Length) : string.CompareOrdinal(da, db);
                if (c != 0)
                {
                    return c;
                }
            }
            else
            {
                int c = a[i].CompareTo(b[j]);
                if (c != 0)
                {
                    return c;
                }
                i++;
                j++;
            }
        }
        int rest = (a.Length - i).CompareTo(b.Length - j);
        return rest != 0 ? rest : string.CompareOrdinal(a, b);
    }
}

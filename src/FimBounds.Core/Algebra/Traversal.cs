using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>Walks and rebuilds expressions; rebuilding goes through the smart constructors, so results stay canonical.</summary>
internal static class Traversal
{
    public static IEnumerable<SymbolExpr> Symbols(Expr e)
    {
        var found = new HashSet<SymbolExpr>();
        Collect(e, found);
        var list = new List<SymbolExpr>(found);
        list.Sort(ExprOrder.Instance);
        return list;
    }

    private static void Collect(Expr e, HashSet<SymbolExpr> found)
    {
        switch (e)
        {
            case SymbolExpr s:
                found.Add(s);
                break;
            default:
                foreach (Expr child in Children(e))
                {
                    Collect(child, found);
                }
                break;
        }
    }

    public static IEnumerable<Expr> Children(Expr e)
    {
        switch (e)
        {
            case SumExpr s:
                return s.Terms;
            case ProductExpr p:
                return p.Factors;
            case PowerExpr pw:
                return new[] { pw.Base, pw.Exponent };
            case ExtremumExpr x:
                return x.Args;
            case AbsExpr a:
                return new[] { a.Argument };
            default:
                return Array.Empty<Expr>();
        }
    }

    public static Expr Substitute(Expr e, IReadOnlyDictionary<string, Expr> map) =>
        Rewrite(e, node => node is SymbolExpr s && map.TryGetValue(s.Name, out Expr? replacement) ? replacement : node);

    public static Expr Rewrite(Expr e, Func<Expr, Expr> rewrite)
    {
        Expr rebuilt;
        switch (e)
        {
            case SumExpr s:
                rebuilt = Expr.Add(Map(s.Terms, rewrite));
                break;
            case ProductExpr p:
                rebuilt = Expr.Mul(Map(p.Factors, rewrite));
                break;
            case PowerExpr pw:
                rebuilt = Expr.Pow(Rewrite(pw.Base, rewrite), Rewrite(pw.Exponent, rewrite));
                break;
            case ExtremumExpr x:
                rebuilt = x.IsMax ? Expr.Max(Map(x.Args, rewrite)) : Expr.Min(Map(x.Args, rewrite));
                break;
            case AbsExpr a:
                rebuilt = Expr.Abs(Rewrite(a.Argument, rewrite));
                break;
            default:
                rebuilt = e;
                break;
        }
        return rewrite(rebuilt);
    }

    private static List<Expr> Map(IReadOnlyList<Expr> items, Func<Expr, Expr> rewrite)
    {
        var mapped = new List<Expr>(items.Count);
        foreach (Expr item in items)
        {
            mapped.Add(Rewrite(item, rewrite));
        }
        return mapped;
    }
}

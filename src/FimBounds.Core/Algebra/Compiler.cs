using System;
using System.Collections.Generic;

namespace FimBounds.Core.Algebra;

/// <summary>
/// Compiles an expression to a closure tree over a value array (System.Linq.Expressions is not part
/// of netstandard2.0 without a package; closures are fast enough: one virtual call per node).
/// </summary>
internal static class Compiler
{
    public static Func<double[], double> Compile(Expr e, IReadOnlyList<string> symbolOrder)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < symbolOrder.Count; i++)
        {
            index[symbolOrder[i]] = i;
        }
        Func<double[], double> compiled = Build(e, index);
        int count = symbolOrder.Count;
        return values =>
        {
            if (values.Length < count)
            {
                throw new ArgumentException($"The compiled bound takes {count} values (one per symbol) but got {values.Length}.", nameof(values));
            }
            return compiled(values);
        };
    }

    private static Func<double[], double> Build(Expr e, Dictionary<string, int> index)
    {
        switch (e)
        {
            case NumberExpr n:
                {
                    double v = n.Value.Value;
                    return _ => v;
                }
            case SymbolExpr s:
                {
                    if (!index.TryGetValue(s.Name, out int i))
                    {
                        throw new MissingSymbolException(s.Name, s.Meaning);
                    }
                    return x => x[i];
                }
            case SumExpr sum:
                {
                    Func<double[], double>[] terms = BuildAll(sum.Terms, index);
                    if (terms.Length == 2)
                    {
                        Func<double[], double> a = terms[0];
                        Func<double[], double> b = terms[1];
                        return x => a(x) + b(x);
                    }
                    return x =>
                    {
                        double total = 0;
                        for (int i = 0; i < terms.Length; i++)
                        {
                            total += terms[i](x);
                        }
                        return total;
                    };
                }
            case ProductExpr p:
                {
                    Func<double[], double>[] factors = BuildAll(p.Factors, index);
                    if (factors.Length == 2)
                    {
                        Func<double[], double> a = factors[0];
                        Func<double[], double> b = factors[1];
                        return x => a(x) * b(x);
                    }
                    return x =>
                    {
                        double total = 1;
                        for (int i = 0; i < factors.Length; i++)
                        {
                            total *= factors[i](x);
                        }
                        return total;
                    };
                }
            case PowerExpr pw:
                {
                    Func<double[], double> b = Build(pw.Base, index);
                    if (pw.Exponent is NumberExpr k)
                    {
                        if (k.Value == Number.Half)
                        {
                            return x => Math.Sqrt(b(x));
                        }
                        if (k.Value.IsInteger && k.Value.Numerator == 2)
                        {
                            return x =>
                            {
                                double v = b(x);
                                return v * v;
                            };
                        }
                        if (k.Value.IsInteger && k.Value.Numerator == -1)
                        {
                            return x => 1.0 / b(x);
                        }
                        double exponent = k.Value.Value;
                        return x => Math.Pow(b(x), exponent);
                    }
                    Func<double[], double> ex = Build(pw.Exponent, index);
                    return x => Math.Pow(b(x), ex(x));
                }
            case ExtremumExpr m:
                {
                    Func<double[], double>[] args = BuildAll(m.Args, index);
                    if (m.IsMax)
                    {
                        return x =>
                        {
                            double best = double.NegativeInfinity;
                            for (int i = 0; i < args.Length; i++)
                            {
                                best = Math.Max(best, args[i](x));
                            }
                            return best;
                        };
                    }
                    return x =>
                    {
                        double best = double.PositiveInfinity;
                        for (int i = 0; i < args.Length; i++)
                        {
                            best = Math.Min(best, args[i](x));
                        }
                        return best;
                    };
                }
            case AbsExpr a:
                {
                    Func<double[], double> arg = Build(a.Argument, index);
                    return x => Math.Abs(arg(x));
                }
            default:
                throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
        }
    }

    private static Func<double[], double>[] BuildAll(IReadOnlyList<Expr> items, Dictionary<string, int> index)
    {
        var result = new Func<double[], double>[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            result[i] = Build(items[i], index);
        }
        return result;
    }
}

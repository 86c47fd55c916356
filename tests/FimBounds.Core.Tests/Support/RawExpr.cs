using CsCheck;
using FimBounds.Core.Algebra;

namespace FimBounds.Core.Tests.Support;

/// <summary>
/// An expression tree that is NOT canonicalised: what a user or a rule might write. Property tests
/// evaluate it naively (independently of the algebra) and compare with the canonical form built from it.
/// </summary>
public sealed record RawExpr(string Op, RawExpr[] Children, double Value = 0, long P = 0, long Q = 1, string Name = "")
{
    public static readonly string[] Names = { "x", "y", "z", "sigma_features.0", "sigma_features.10", "beta_layer1.0.bn1", "sigmaV_attn[1]" };

    public override string ToString() => Op switch
    {
        "num" => $"{P}/{Q}",
        "dbl" => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        "sym" => Name,
        _ => Op + "(" + string.Join(", ", Children.Select(c => c.ToString())) + ")",
    };

    /// <summary>The canonical expression, built through the smart constructors.</summary>
    public Expr Build() => Op switch
    {
        "num" => Expr.Rational(P, Q),
        "dbl" => Expr.Num(Value),
        "sym" => Expr.Sym(Name),
        "add" => Expr.Add(Children.Select(c => c.Build())),
        "mul" => Expr.Mul(Children.Select(c => c.Build())),
        "neg" => -Children[0].Build(),
        "div" => Children[0].Build() / Children[1].Build(),
        "pow" => Expr.Pow(Children[0].Build(), Expr.Rational(P, Q)),
        "sqrt" => Expr.Sqrt(Children[0].Build()),
        "max" => Expr.Max(Children.Select(c => c.Build())),
        "min" => Expr.Min(Children.Select(c => c.Build())),
        "abs" => Expr.Abs(Children[0].Build()),
        _ => throw new InvalidOperationException(Op),
    };

    /// <summary>Plain double evaluation of the tree as written.</summary>
    public double Naive(IReadOnlyDictionary<string, double> values) => Op switch
    {
        "num" => (double)P / Q,
        "dbl" => Value,
        "sym" => values[Name],
        "add" => Children.Sum(c => c.Naive(values)),
        "mul" => Children.Aggregate(1.0, (a, c) => a * c.Naive(values)),
        "neg" => -Children[0].Naive(values),
        "div" => Children[0].Naive(values) / Children[1].Naive(values),
        "pow" => Math.Pow(Children[0].Naive(values), (double)P / Q),
        "sqrt" => Math.Sqrt(Children[0].Naive(values)),
        "max" => Children.Aggregate(double.NegativeInfinity, (a, c) => Math.Max(a, c.Naive(values))),
        "min" => Children.Aggregate(double.PositiveInfinity, (a, c) => Math.Min(a, c.Naive(values))),
        "abs" => Math.Abs(Children[0].Naive(values)),
        _ => throw new InvalidOperationException(Op),
    };

    /// <summary>The same expression with the operands of every commutative operation permuted and regrouped.</summary>
    public RawExpr Scramble(Random random)
    {
        var children = Children.Select(c => c.Scramble(random)).ToArray();
        if (Op is "add" or "mul" or "max" or "min")
        {
            children = children.OrderBy(_ => random.Next()).ToArray();
            if (children.Length >= 3 && random.Next(2) == 0)
            {
                // Regroup: op(a, b, c, …) = op(op(a, b), c, …).
                var inner = new RawExpr(Op, new[] { children[0], children[1] });
                children = new[] { inner }.Concat(children.Skip(2)).ToArray();
            }
        }
        return this with { Children = children };
    }

    private static readonly (long P, long Q)[] Exponents = { (2, 1), (3, 1), (-1, 1), (1, 2), (-1, 2), (1, 3), (3, 2), (0, 1), (1, 1) };

    public static Gen<RawExpr> Gen { get; } = CreateGen();

    private static Gen<RawExpr> CreateGen()
    {
        Gen<RawExpr> number = CsCheck.Gen.Select(CsCheck.Gen.Int[-6, 6], CsCheck.Gen.Int[1, 4], (p, q) => new RawExpr("num", Array.Empty<RawExpr>(), P: p, Q: q));
        Gen<RawExpr> inexact = CsCheck.Gen.Double[0.1, 3.0].Select(v => new RawExpr("dbl", Array.Empty<RawExpr>(), Value: v));
        Gen<RawExpr> symbol = CsCheck.Gen.Int[0, Names.Length - 1].Select(i => new RawExpr("sym", Array.Empty<RawExpr>(), Name: Names[i]));
        Gen<RawExpr> leaf = CsCheck.Gen.Frequency((3, number), (1, inexact), (6, symbol));
        return CsCheck.Gen.Recursive<RawExpr>((depth, self) =>
        {
            if (depth >= 4)
            {
                return leaf;
            }
            Gen<RawExpr[]> two = self.Array[2];
            Gen<RawExpr[]> several = self.Array[2, 4];
            Gen<RawExpr> one = self;
            return CsCheck.Gen.Frequency(
                (4, leaf),
                (3, several.Select(c => new RawExpr("add", c))),
                (3, several.Select(c => new RawExpr("mul", c))),
                (1, one.Select(c => new RawExpr("neg", new[] { c }))),
                (1, two.Select(c => new RawExpr("div", c))),
                (2, CsCheck.Gen.Select(one, CsCheck.Gen.Int[0, Exponents.Length - 1], (c, i) => new RawExpr("pow", new[] { c }, P: Exponents[i].P, Q: Exponents[i].Q))),
                (1, one.Select(c => new RawExpr("sqrt", new[] { c }))),
                (1, two.Select(c => new RawExpr("max", c))),
                (1, two.Select(c => new RawExpr("min", c))),
                (1, one.Select(c => new RawExpr("abs", new[] { c }))));
        });
    }

    /// <summary>A positive value for every symbol name.</summary>
    public static Gen<Dictionary<string, double>> Values { get; } =
        CsCheck.Gen.Double[0.2, 3.0].Array[Names.Length].Select(v => Names.Select((n, i) => (n, v[i])).ToDictionary(t => t.n, t => t.Item2));
}

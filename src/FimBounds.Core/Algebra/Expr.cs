using System;
using System.Collections.Generic;
using FimBounds.Core.Bounds;

namespace FimBounds.Core.Algebra;

/// <summary>
/// A symbolic expression of the bound algebra, always in canonical form: the only way to build one is
/// through the smart constructors (<see cref="Num(double)"/>, <see cref="Sym"/>, <see cref="Add(Expr[])"/>,
/// <see cref="Mul(Expr[])"/>, <see cref="Pow"/>, …, or the operators), which flatten, fold constants,
/// merge like terms and powers and sort operands by <see cref="ExprOrder"/>. Hence two expressions that
/// are equal after these rewrites are equal as records (structural equality = canonical equality).
/// </summary>
/// <remarks>
/// Domain: every symbol stands for a nonnegative real (norms, scales, radii, variances). The rewrites
/// that need it — (xy)^r = x^r y^r and (x^a)^b = x^(ab) for fractional exponents — rely on this.
/// </remarks>
public abstract record Expr : IComparable<Expr>
{
    private protected Expr()
    {
    }

    // ---- smart constructors -------------------------------------------------------------------

    public static Expr Num(double value) => NumberExpr.Of(Number.FromDouble(value));

    public static Expr Num(Number value) => NumberExpr.Of(value);

    /// <summary>An exact integer.</summary>
    public static Expr Num(long value) => NumberExpr.Of(Number.Integer(value));

    public static Expr Rational(long numerator, long denominator) => NumberExpr.Of(Number.Rational(numerator, denominator));

    public static Expr Zero => NumberExpr.ZeroExpr;

    public static Expr One => NumberExpr.OneExpr;

    public static Expr Half => NumberExpr.HalfExpr;

    /// <summary>A symbol. Without a meaning, one is recovered from the name when it follows <see cref="SymbolNames"/>.</summary>
    public static SymbolExpr Sym(string name, SymbolMeaning? meaning = null) => SymbolExpr.Create(name, meaning);

    public static Expr Add(params Expr[] terms) => Canonical.Sum(terms);

    public static Expr Add(IEnumerable<Expr> terms) => Canonical.Sum(terms);

    public static Expr Mul(params Expr[] factors) => Canonical.Product(factors);

    public static Expr Mul(IEnumerable<Expr> factors) => Canonical.Product(factors);

    public static Expr Pow(Expr @base, Expr exponent) => Canonical.Power(@base, exponent);

    public static Expr Pow(Expr @base, long exponent) => Canonical.Power(@base, Num(Number.Integer(exponent)));

    public static Expr Sqrt(Expr x) => Canonical.Power(x, Half);

    public static Expr Div(Expr numerator, Expr denominator) => Mul(numerator, Pow(denominator, -1));

    public static Expr Sub(Expr a, Expr b) => Add(a, Neg(b));

    public static Expr Neg(Expr x) => Mul(NumberExpr.MinusOneExpr, x);

    public static Expr Max(params Expr[] args) => Canonical.Extremum(args, isMax: true);

    public static Expr Max(IEnumerable<Expr> args) => Canonical.Extremum(args, isMax: true);

    public static Expr Min(params Expr[] args) => Canonical.Extremum(args, isMax: false);

    public static Expr Min(IEnumerable<Expr> args) => Canonical.Extremum(args, isMax: false);

    public static Expr Abs(Expr x) => Canonical.Absolute(x);

    public static Expr operator +(Expr a, Expr b) => Add(a, b);

    public static Expr operator -(Expr a, Expr b) => Sub(a, b);

    public static Expr operator -(Expr a) => Neg(a);

    public static Expr operator *(Expr a, Expr b) => Mul(a, b);

    public static Expr operator /(Expr a, Expr b) => Div(a, b);

    public static implicit operator Expr(long value) => NumberExpr.Of(Number.Integer(value));

    public static implicit operator Expr(double value) => Num(value);

    // ---- the API ------------------------------------------------------------------------------

    /// <summary>The parseable text form (<see cref="ExprParser.Parse(string)"/> reads it back to an equal expression).</summary>
    public string ToText() => TextPrinter.Print(this);

    /// <summary>LaTeX with minimal parentheses; runs of identically shaped factors print as indexed products.</summary>
    public string ToLatex() => LatexPrinter.Print(this);

    /// <summary>LaTeX without the indexed-product abbreviation (every factor written out).</summary>
    public string ToLatex(LatexOptions options) => LatexPrinter.Print(this, options);

    /// <summary>The value at the given symbol values; throws <see cref="MissingSymbolException"/> naming a missing symbol.</summary>
    public double Evaluate(IReadOnlyDictionary<string, double> values) => Evaluator.Evaluate(this, values);

    /// <summary>
    /// An enclosure of the value when every symbol lies in its interval (outward-rounded interval
    /// arithmetic; symbol intervals are clipped at 0, the symbols' domain). Its upper end is a sound upper
    /// bound when the symbols are known only up to an error.
    /// </summary>
    public Interval EvaluateInterval(IReadOnlyDictionary<string, Interval> values) => IntervalEvaluator.Evaluate(this, values);

    /// <summary>The distinct symbols, in <see cref="ExprOrder"/>.</summary>
    public IEnumerable<SymbolExpr> Symbols() => Traversal.Symbols(this);

    /// <summary>Replaces symbols by name and re-canonicalises.</summary>
    public Expr Substitute(IReadOnlyDictionary<string, Expr> map) => Traversal.Substitute(this, map);

    /// <summary>Rebuilds the expression bottom-up with <paramref name="rewrite"/> applied to every node.</summary>
    public Expr Rewrite(Func<Expr, Expr> rewrite) => Traversal.Rewrite(this, rewrite);

    /// <summary>True when the expression is ≥ 0 for every nonnegative assignment of its symbols (a sufficient check).</summary>
    public bool IsNonNegative => Canonical.IsNonNegative(this);

    public int CompareTo(Expr? other) => other is null ? 1 : ExprOrder.Instance.Compare(this, other);

    public sealed override string ToString() => ToText();

    /// <summary>Node kind in the total order: numbers, symbols, powers, products, sums, max, min, abs.</summary>
    internal abstract int KindRank { get; }
}

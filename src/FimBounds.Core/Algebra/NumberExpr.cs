namespace FimBounds.Core.Algebra;

/// <summary>A constant (exact rational or double).</summary>
public sealed record NumberExpr : Expr
{
    internal static readonly NumberExpr ZeroExpr = new(Number.Zero);
    internal static readonly NumberExpr OneExpr = new(Number.One);
    internal static readonly NumberExpr MinusOneExpr = new(Number.MinusOne);
    internal static readonly NumberExpr HalfExpr = new(Number.Half);

    private NumberExpr(Number value) => Value = value;

    public Number Value { get; }

    internal static NumberExpr Of(Number value) => value.IsExact && value.IsZero ? ZeroExpr : value.IsOne ? OneExpr : new NumberExpr(value);

    internal override int KindRank => 0;

    public bool Equals(NumberExpr? other) => other is not null && Value.Equals(other.Value);

    public override int GetHashCode() => Value.GetHashCode();
}

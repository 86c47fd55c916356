namespace FimBounds.Core.Algebra;

/// <summary>|x| of an argument not known to be nonnegative.</summary>
public sealed record AbsExpr : Expr
{
    internal AbsExpr(Expr argument) => Argument = argument;

    public Expr Argument { get; }

    internal override int KindRank => 7;

    public bool Equals(AbsExpr? other) => other is not null && Argument.Equals(other.Argument);

    public override int GetHashCode() => Argument.GetHashCode() * 31 + 19;
}

namespace FimBounds.Core.Algebra;

/// <summary>Base^Exponent; √x is x^(1/2). Canonical: the base is never a product of nonnegative factors.</summary>
public sealed record PowerExpr : Expr
{
    private readonly int _hash;

    internal PowerExpr(Expr @base, Expr exponent)
    {
        Base = @base;
        Exponent = exponent;
        _hash = (@base.GetHashCode() * 397) ^ exponent.GetHashCode();
    }

    public Expr Base { get; }

    public Expr Exponent { get; }

    internal override int KindRank => 2;

    public bool Equals(PowerExpr? other) => other is not null && _hash == other._hash && Base.Equals(other.Base) && Exponent.Equals(other.Exponent);

    public override int GetHashCode() => _hash;
}

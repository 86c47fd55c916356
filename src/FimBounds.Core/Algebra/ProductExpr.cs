using FimBounds.Core.Collections;

namespace FimBounds.Core.Algebra;

/// <summary>
/// An n-ary product (≥ 2 factors) in canonical form: flat, one numeric coefficient at most (first),
/// powers of a base merged, sorted.
/// </summary>
public sealed record ProductExpr : Expr
{
    private readonly int _hash;

    internal ProductExpr(EquatableList<Expr> factors)
    {
        Factors = factors;
        _hash = factors.GetHashCode() * 31 + 11;
    }

    public EquatableList<Expr> Factors { get; }

    internal override int KindRank => 3;

    public bool Equals(ProductExpr? other) => other is not null && _hash == other._hash && Factors.Equals(other.Factors);

    public override int GetHashCode() => _hash;
}

using FimBounds.Core.Collections;

namespace FimBounds.Core.Algebra;

/// <summary>An n-ary sum (≥ 2 terms) in canonical form: flat, like terms merged, one constant at most, sorted.</summary>
public sealed record SumExpr : Expr
{
    private readonly int _hash;

    internal SumExpr(EquatableList<Expr> terms)
    {
        Terms = terms;
        _hash = terms.GetHashCode() * 31 + 7;
    }

    public EquatableList<Expr> Terms { get; }

    internal override int KindRank => 4;

    public bool Equals(SumExpr? other) => other is not null && _hash == other._hash && Terms.Equals(other.Terms);

    public override int GetHashCode() => _hash;
}

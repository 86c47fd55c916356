using FimBounds.Core.Collections;

namespace FimBounds.Core.Algebra;

/// <summary>max(…) or min(…) of ≥ 2 distinct arguments, flat and sorted, constants folded into one.</summary>
public sealed record ExtremumExpr : Expr
{
    private readonly int _hash;

    internal ExtremumExpr(bool isMax, EquatableList<Expr> args)
    {
        IsMax = isMax;
        Args = args;
        _hash = args.GetHashCode() * 31 + (isMax ? 13 : 17);
    }

    /// <summary>True for max, false for min.</summary>
    public bool IsMax { get; }

    public EquatableList<Expr> Args { get; }

    internal override int KindRank => IsMax ? 5 : 6;

    public bool Equals(ExtremumExpr? other) => other is not null && _hash == other._hash && IsMax == other.IsMax && Args.Equals(other.Args);

    public override int GetHashCode() => _hash;
}

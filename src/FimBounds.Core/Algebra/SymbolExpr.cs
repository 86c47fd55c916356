using System;
using FimBounds.Core.Bounds;

namespace FimBounds.Core.Algebra;

/// <summary>
/// A named nonnegative quantity. <see cref="Meaning"/> tells the numeric engine what to measure for it;
/// names are unique per layer and quantity (see <see cref="SymbolNames"/>), so equality by name and
/// meaning is equality by name in practice.
/// </summary>
public sealed record SymbolExpr : Expr
{
    private SymbolExpr(string name, SymbolMeaning? meaning)
    {
        Name = name;
        Meaning = meaning;
    }

    public string Name { get; }

    public SymbolMeaning? Meaning { get; }

    internal static SymbolExpr Create(string name, SymbolMeaning? meaning)
    {
        if (!SymbolNames.IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a symbol name: use letters, digits, '_' and '.', starting with a letter or '_', optionally ending in [head].",
                nameof(name));
        }
        return new SymbolExpr(name, meaning ?? SymbolNames.TryParseMeaning(name));
    }

    internal override int KindRank => 1;

    public bool Equals(SymbolExpr? other) => other is not null && Name == other.Name && Equals(Meaning, other.Meaning);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
}

using FimBounds.Core.Bounds;
using FimBounds.Core.Errors;

namespace FimBounds.Core.Algebra;

/// <summary>An expression was evaluated or compiled without a value for one of its symbols.</summary>
public sealed class MissingSymbolException : FimBoundsException
{
    public MissingSymbolException(string symbol, SymbolMeaning? meaning)
        : base(
            $"The bound needs a value for the symbol '{symbol}'" +
            (meaning is null ? "" : $" ({Describe(meaning)})") +
            ", but none was given. Supply a value for it (or substitute it) before evaluating.")
    {
        Symbol = symbol;
    }

    public string Symbol { get; }

    private static string Describe(SymbolMeaning meaning) =>
        $"{meaning.Quantity} of layer '{meaning.LayerPath}'" + (meaning.Head is int h ? $", head {h}" : "");
}

using FimBounds.Core.Errors;

namespace FimBounds.Core.Algebra;

/// <summary>A bound expression's text cannot be read; the message names the position and what was expected.</summary>
public sealed class ExpressionSyntaxException : FimBoundsException
{
    public ExpressionSyntaxException(string text, int position, string problem)
        : base(
            $"Cannot read the expression '{text}' at position {position + 1}: {problem}. " +
            "Write it with numbers, symbols (letters, digits, '_', '.', optional [head]), + - * / ^, parentheses and sqrt/max/min/abs(...).")
    {
        Position = position;
    }

    /// <summary>Zero-based character position of the problem.</summary>
    public int Position { get; }
}

namespace FimBounds.Core.Algebra;

/// <summary>How <see cref="Expr.ToLatex(LatexOptions)"/> prints.</summary>
public sealed record LatexOptions
{
    public static readonly LatexOptions Default = new();

    /// <summary>Everything written out: no indexed products.</summary>
    public static readonly LatexOptions Expanded = new() { IndexedProducts = false };

    /// <summary>
    /// Print runs of identically shaped factors of a product (σ_a², σ_b², … — same structure, symbols of
    /// the same quantities) as one indexed product ∏_{l=1}^{n} σ_l². The index l counts the factors
    /// in the product's order; the text form keeps every factor.
    /// </summary>
    public bool IndexedProducts { get; init; } = true;

    /// <summary>The fewest identically shaped factors that print as an indexed product.</summary>
    public int MinimumRun { get; init; } = 3;

    /// <summary>The index letter of indexed products.</summary>
    public string Index { get; init; } = "l";
}

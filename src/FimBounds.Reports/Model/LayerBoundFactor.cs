namespace FimBounds.Reports.Model;

/// <summary>
/// One factor of a model's bound, evaluated on the trained weights: the bound's certified Lipschitz factor
/// of a layer (or block), and the same factor at values the weights attain (the engine's "attained";
/// report.json keeps its first name for it, "measuredFactor").
/// </summary>
/// <param name="Path">The layer's state_dict prefix (e.g. "features.0").</param>
/// <param name="Description">What the factor is, e.g. "σ(conv 1→8, 3×3)·β" or "1 + σ_a β_a σ_b β_b".</param>
/// <param name="BoundFactor">The factor's value in the bound (&gt; 0).</param>
/// <param name="AttainedFactor">The factor with every quantity at a value the weights attain (≥ 0), or null when not known.</param>
public sealed record LayerBoundFactor(string Path, string Description, double BoundFactor, double? AttainedFactor = null);

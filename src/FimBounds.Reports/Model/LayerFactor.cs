namespace FimBounds.Reports.Model;

/// <summary>
/// One factor of a model's bound, evaluated on the trained weights: the bound's Lipschitz factor of a
/// layer (or block), and, where the engine measured it, the largest local factor seen on the data.
/// </summary>
/// <param name="Path">The layer's state_dict prefix (e.g. "features.0").</param>
/// <param name="Description">What the factor is, e.g. "σ(conv 1→8, 3×3)·β" or "1 + σ_a β_a σ_b β_b".</param>
/// <param name="BoundFactor">The factor's value in the bound (&gt; 0).</param>
/// <param name="MeasuredFactor">The measured counterpart (≥ 0), or null when not measured.</param>
public sealed record LayerFactor(string Path, string Description, double BoundFactor, double? MeasuredFactor = null);

namespace FimBounds.Engine.Bounds;

/// <summary>
/// One layer's numeric Lipschitz factor in the composed bound: primitives (σ, β, pooling, activation
/// constants) and compositions (a residual block's L_body + L_shortcut, a dense step's √(1 + L_h²)).
/// <see cref="Lower"/> is the value the layer is known to reach when that is computed (operator norms), so
/// Factor/Lower shows how much of the bound's slack comes from the certificate rather than the composition.
/// <see cref="FoldedWith"/> pairs a convolution with the BatchNorm folded into it: the pair's factors
/// (σ(folded) and 1) bound the pair together, not each layer alone.
/// </summary>
public sealed record LayerFactor(string Path, string Kind, double Factor, string Detail, double? Lower = null, string? FoldedWith = null);

/// <summary>An assumption the bound rests on, with the value used and where it came from.</summary>
public sealed record MeasuredAssumption(string Quantity, string LayerPath, double Value, string Source);

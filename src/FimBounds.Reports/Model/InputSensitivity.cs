namespace FimBounds.Reports.Model;

/// <summary>
/// One test input: its measured λ_max(F(x)) and the smallest perturbation (pixel-space ε, the attack's norm)
/// that changed the prediction. <see cref="MinimalEpsilon"/> is +∞ (or null) when the attack found none
/// within its budget; such inputs are counted but left out of the correlation.
/// </summary>
public sealed record InputSensitivity(double LambdaMax, double? MinimalEpsilon);

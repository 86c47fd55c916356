namespace FimBounds.Engine.Bounds;

/// <summary>
/// One node's Lipschitz factor of the symbolic bound, evaluated with the real weights: primitives (σ, β,
/// pooling, activation constants) and compositions (sequence, residual, dense block), in the bound's
/// order (parent before children; <see cref="Depth"/> 0 = the whole network). <see cref="Value"/> is
/// certified (interval upper end); <see cref="Attained"/> is the factor with every quantity at a value the
/// weights are known to reach, so Value/Attained is the certificate's share of the slack.
/// <see cref="FoldedWith"/> pairs a convolution with the BatchNorm folded into it: their factors
/// (σ(folded) and 1) bound the pair together, not each layer alone.
/// </summary>
public sealed record NumericFactor(string Path, string Kind, int Depth, double Value, double Attained, string Expression, string Rule,
    string? FoldedWith = null);

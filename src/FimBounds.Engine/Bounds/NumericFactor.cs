using FimBounds.Core.Bounds;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// One node's Lipschitz factor of the symbolic bound, evaluated with the real weights: primitives (σ, β,
/// pooling, activation constants) and compositions (sequence, residual, dense block), in the bound's
/// order (parent before children; <see cref="Depth"/> 0 = the whole network). <see cref="Value"/> is
/// certified (interval upper end); <see cref="Attained"/> is the factor with every quantity at a value the
/// weights are known to reach, so Value/Attained is the certificate's share of the slack.
/// <see cref="FoldedWith"/> names the <see cref="LinearFold"/> (its composite, e.g. <c>norm2∘conv1∘norm1</c>) a
/// linear map or a BatchNorm/LayerNorm belongs to: the members' factors (σ of the folded map, 1 or the bare
/// normalisation for the scales) bound the fold's <see cref="FoldSegment"/> together, not each layer alone.
/// <see cref="FoldSegment"/> is set on the map's factor: the paths from the first folded layer to the last,
/// in execution order (the layers between, activations and pools, keep their own factors).
/// </summary>
public sealed record NumericFactor(string Path, string Kind, int Depth, double Value, double Attained, string Expression, string Rule,
    string? FoldedWith = null, IReadOnlyList<string>? FoldSegment = null);

namespace FimBounds.Engine.Certification;

/// <summary>
/// The certifier's savings, each of which leaves every bound as it was up to rounding (tests compare <see cref="Default"/>
/// with <see cref="Plain"/> on nets of every layer kind): <paramref name="FoldNorms"/> folds a BatchNorm into the
/// convolution before it (<see cref="ConvolutionNode.FollowedBy"/>), <paramref name="TapConvolutions"/> runs the forward
/// linear bounds' stride-1 convolutions tap by tap (<see cref="TapConvolution"/>), <paramref name="ReuseBuffers"/> hands
/// their storage from layer to layer and run to run (<see cref="BufferPool"/>), <paramref name="DirectDiagonals"/> takes
/// a per-channel map's sign split in one product per row (<see cref="ChannelAffineNode.Forward"/>).
/// </summary>
internal sealed record CertifierOptions(bool FoldNorms, bool TapConvolutions, bool ReuseBuffers, bool DirectDiagonals)
{
    public static CertifierOptions Default { get; } = new(true, true, true, true);

    /// <summary>None of the savings: the bounds as the layers define them one by one.</summary>
    public static CertifierOptions Plain { get; } = new(false, false, false, false);
}

namespace FimBounds.Engine.Linearization;

/// <summary>
/// Collects a sequence of pieces and merges neighbours whose product is one piece: diagonal after
/// diagonal (BatchNorm then ReLU: one multiplication by scale·mask instead of two passes over the
/// activations), a per-channel factor after a convolution or before an ungrouped one (an eval
/// BatchNorm or the input normalisation folds into the weight) when that convolution transposes by
/// its flipped kernel. The <see cref="Linearizer"/> records nested containers into one builder, so
/// merges reach across container boundaries.
/// </summary>
internal sealed class SequenceBuilder
{
    private readonly List<LinearMap> _pieces = new();

    public void Add(LinearMap piece)
    {
        LinearMap? merged = _pieces.Count == 0 ? null : Merge(_pieces[^1], piece);
        if (merged is null)
        {
            _pieces.Add(piece);
        }
        else
        {
            _pieces[^1] = merged;
        }
    }

    /// <summary>The finished sequence (one piece stays itself; none is the identity).</summary>
    public LinearMap Build()
    {
        foreach (ConvolutionMap convolution in _pieces.OfType<ConvolutionMap>())
        {
            convolution.PrepareTranspose();
        }
        return _pieces.Count == 1 ? _pieces[0] : new SequenceMap(_pieces.ToArray());
    }

    private static LinearMap? Merge(LinearMap first, LinearMap second) => (first, second) switch
    {
        (DiagonalMap a, DiagonalMap b) => new DiagonalMap(a.Factor * b.Factor),
        (ConvolutionMap { CanFold: true } c, DiagonalMap { IsPerChannel: true } d) => c.ScaleOutputs(d.Factor),
        (DiagonalMap { IsPerChannel: true } d, ConvolutionMap { CanFold: true, IsUngrouped: true } c) => c.ScaleInputs(d.Factor),
        _ => null,
    };
}

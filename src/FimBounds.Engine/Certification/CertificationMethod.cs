namespace FimBounds.Engine.Certification;

/// <summary>How bounds over the ball are computed.</summary>
public enum CertificationMethod
{
    /// <summary>Interval bound propagation: one pass of intervals, cheap and loose.</summary>
    Ibp,

    /// <summary>
    /// Linear relaxation: intermediate (pre-activation) bounds of every nonlinear layer from forward-mode
    /// linear bounds in the input (intersected with IBP's), then the specification pulled back through
    /// the whole network with CROWN's relaxations (backward mode), intersected with IBP's bound.
    /// </summary>
    Crown,

    /// <summary>
    /// CROWN's backward pass over the intermediate (pre-activation) bounds of IBP (CROWN-IBP): one pass
    /// of intervals and one backward pass of the K specification rows — IBP's cost order, tighter than
    /// IBP, looser than <see cref="Crown"/>, whose forward linear bounds carry one row per input pixel.
    /// </summary>
    CrownIbp,

    /// <summary>
    /// Full CROWN: every activation's intermediate bounds from CROWN's own backward pass through everything before it
    /// (intersected with IBP's; only neurons whose relaxation is loose, and none while IBP is still exact), then the
    /// specification pulled back as in <see cref="Crown"/>. Tighter than the forward linear bounds from the third
    /// activation on (the backward pass chooses each relaxation by the sign of the whole path's coefficient, not
    /// layer by layer); its cost grows with the number of loose neurons — minutes per ε on the mini CNNs at a few /255.
    /// </summary>
    CrownFull,
}

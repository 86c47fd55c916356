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
}

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
}

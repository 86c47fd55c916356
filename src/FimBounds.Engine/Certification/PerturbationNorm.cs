namespace FimBounds.Engine.Certification;

/// <summary>The norm of the perturbation ball, in pixel units; the ball is always intersected with the [0, 1] box.</summary>
public enum PerturbationNorm
{
    Linf,
    L2,
}

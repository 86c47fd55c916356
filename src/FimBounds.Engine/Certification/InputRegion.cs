using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// The perturbation set around a batch of inputs: the ε-ball of <see cref="Norm"/> around each centre,
/// intersected with the pixel box [0, 1]. Linear functions of the input are bounded over it exactly for
/// L∞ (the set is a box) and, for L2, by the better of the ball's dual norm (ignoring the box) and the
/// enclosing box (the L2 ball lies in the L∞ ball of the same radius): both are sound.
/// </summary>
internal sealed class InputRegion
{
    public InputRegion(Tensor centre, PerturbationNorm norm, double epsilon)
    {
        Centre = centre;
        Norm = norm;
        Epsilon = epsilon;
        Box = new Interval(centre.Plus(-epsilon).ClampBelow(0).ClampAbove(1), centre.Plus(epsilon).ClampBelow(0).ClampAbove(1));
        Tensor lower = Box.Lower.flatten(1);
        Tensor upper = Box.Upper.flatten(1);
        _boxMiddle = lower.Plus(upper).Times(0.5);
        _boxRadius = upper.Minus(lower).Times(0.5);
        _flatCentre = centre.flatten(1);
    }

    private readonly Tensor _boxMiddle;
    private readonly Tensor _boxRadius;
    private readonly Tensor _flatCentre;

    /// <summary>[B, C, H, W], float64.</summary>
    public Tensor Centre { get; }

    public PerturbationNorm Norm { get; }

    public double Epsilon { get; }

    /// <summary>Elementwise bounds of the set (exact for L∞, enclosing for L2).</summary>
    public Interval Box { get; }

    public long Batch => Centre.shape[0];

    /// <summary>Input dimension d.</summary>
    public long Dimension => _flatCentre.shape[1];

    /// <summary>
    /// Lower bounds over the set of Σ_j a_rj x_j + c_r, for coefficients [B, R, d] and constants [B, R]: [B, R].
    /// </summary>
    public Tensor MinimumOf(Tensor coefficients, Tensor constants)
    {
        Tensor overBox = constants
            .Plus(coefficients.matmul(_boxMiddle.unsqueeze(2)).squeeze(2))
            .Minus(coefficients.abs().matmul(_boxRadius.unsqueeze(2)).squeeze(2));
        if (Norm == PerturbationNorm.Linf)
        {
            return overBox;
        }
        Tensor overBall = constants
            .Plus(coefficients.matmul(_flatCentre.unsqueeze(2)).squeeze(2))
            .Minus(coefficients.mul(coefficients).sum(2).sqrt().Times(Epsilon));
        return maximum(overBox, overBall);
    }
}

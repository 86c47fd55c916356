using System;
using FimBounds.Core.Algebra;

namespace FimBounds.Core.Bounds;

/// <summary>
/// The softmax factor c_p of λ_max(F(x)) ≤ c_p·‖J(x)‖² (DESIGN.md §2): F = Jᵀ A(p) J with
/// A(p) = diag(p) − ppᵀ, and λ_max(A(p)) ≤ ½ always, ≤ 2(1 − p_max) by Gershgorin (row k sums to
/// 2p_k(1 − p_k) ≤ 2(1 − p_max) for every k).
/// </summary>
public static class SoftmaxFactor
{
    /// <summary>The global constant ½.</summary>
    public static Expr Global => Expr.Half;

    /// <summary>The confidence-aware factor min(½, 2(1 − p_max)) for a prediction with top probability p_max.</summary>
    public static double ConfidenceAware(double pMax)
    {
        if (double.IsNaN(pMax) || pMax < 0 || pMax > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pMax), pMax, "p_max is a probability in [0, 1].");
        }
        return Math.Min(0.5, 2 * (1 - pMax));
    }

    /// <summary>The global FIM bound ½·L² of a Lipschitz bound L of the logits.</summary>
    public static Expr FimBound(Expr lipschitz) => Expr.Mul(Global, Expr.Pow(lipschitz, 2));
}

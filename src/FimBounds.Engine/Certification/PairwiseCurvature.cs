using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// A bound on the softmax curvature A(p) = diag(p) − ppᵀ over a ball, class pair by class pair. Because Σp = 1,
/// A(p) = Σ_{j&lt;k} p_j p_k (e_j − e_k)(e_j − e_k)ᵀ (the diagonal: Σ_{k≠j} p_j p_k = p_j − p_j²; the (j, k) entry:
/// −p_j p_k), a sum of positive semidefinite terms with non-negative weights. So any u_jk ≥ sup p_j p_k over the
/// ball gives A(p') ⪯ B = Σ_{j&lt;k} u_jk (e_j − e_k)(e_j − e_k)ᵀ (a graph Laplacian) at every point p' of it, and
/// λ_max(J'ᵀA(p')J') ≤ ‖B^½J'‖² for any J'. With p_k ≤ p_k^hi (from the logit-difference bounds),
/// u_jk = min(p_j^hi p_k^hi, ¼) (p_j + p_k ≤ 1 caps the product at ¼). Unlike a spread added to A(p₀) in every
/// direction, B keeps the structure of a confident prediction: pairs of two unlikely classes get weight near
/// 0. At ε → 0, p^hi → p₀ and B → A(p₀), so the bound tends to λ_max(F(x)).
/// </summary>
internal static class PairwiseCurvature
{
    /// <summary>B [K, K] from upper bounds <paramref name="upperP"/> [K] of the probabilities over the ball.</summary>
    public static Tensor UpperBound(Tensor upperP)
    {
        long classes = upperP.shape[0];
        Tensor offDiagonal = eye(classes, dtype: upperP.dtype).logical_not();
        Tensor weights = upperP.unsqueeze(1).mul(upperP.unsqueeze(0)).ClampAbove(0.25).mul(offDiagonal.to_type(upperP.dtype));
        return diag(weights.sum(1)).Minus(weights);
    }

    /// <summary>The symmetric square root of a positive semidefinite K×K matrix and its largest eigenvalue (negative rounding clipped to 0).</summary>
    public static (Tensor Root, double Largest) Root(Tensor psd)
    {
        (Tensor w, Tensor v) = linalg.eigh(psd.Plus(psd.t()).Times(0.5));
        Tensor root = v.mul(w.ClampBelow(0).sqrt().unsqueeze(0)).matmul(v.t());
        return (root, Math.Max(0, w.max().item<double>()));
    }
}

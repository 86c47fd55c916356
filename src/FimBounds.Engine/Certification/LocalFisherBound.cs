using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Λ(x, ε) ≥ λ_max(F(x')) for every x' in the ball, with F = JᵀA(p)J. Over the ball the logit Jacobian
/// lies in an interval matrix J_c ± J_r (K×d, from <see cref="BoundNode.JacobianRows"/>: stable ReLUs
/// fixed, unstable ones relaxed to [0, 1]), so ‖J‖₂ ≤ ‖J_c‖₂ + ‖J_r‖₂ (a matrix bounded entrywise by
/// J_r ≥ 0 has norm ≤ ‖J_r‖₂). The probabilities lie in [p_lo, p_hi] from the bounds on the logit
/// differences (p_k = 1/Σ_j e^{z_j − z_k}), so A(p') ⪯ A(p₀) + δI with
/// δ = max_k|Δ_k| + 2‖Δ‖‖p₀‖ + ‖Δ‖² ≥ ‖A(p') − A(p₀)‖₂, where Δ is the largest move of p from its
/// value p₀ at the centre. Hence λ_max(F(x')) ≤ ‖A(p₀)^½J‖² + δ‖J‖² ≤
/// (‖A(p₀)^½J_c‖ + √λ_max(A(p₀))·‖J_r‖)² + δ(‖J_c‖ + ‖J_r‖)², which is λ_max(F(x)) itself when the
/// ball shrinks to x and no ReLU is unstable. The generic form c_p·‖J‖² with c_p = min(½, 2(1 − p_lo,c))
/// (λ_max(A) ≤ tr A ≤ 1 − p_max² ≤ 2(1 − p_max), and p_max ≥ p_c ≥ its lower bound) is also sound; Λ is
/// the smaller of these and of the forms below. A third softmax form keeps the class structure: A(p') ⪯ B for
/// every p' of the ball, B the pairwise bound of <see cref="PairwiseCurvature"/>, so
/// λ_max(F(x')) ≤ ‖B^½J(x')‖² ≤ (‖B^½J_c‖ + √λ_max(B)·‖J_r‖)². The mask expansion (<see cref="MaskExpansion"/>)
/// bounds ‖P₁J(x')‖ ≤ j_P + r_P and ‖B^½J(x')‖ ≤ j_B + r_B directly (P₁ = I − 11ᵀ/K; A(p) = P₁A(p)P₁, so
/// λ_max(F) ≤ c_p‖P₁J‖²), giving c_p(j_P + r_P)² and (j_B + r_B)². Every norm is a K×K symmetric eigen-solve in
/// float64, padded by 1e-9 relative for rounding.
/// </summary>
public sealed record LocalFisherBound
{
    /// <summary>Λ(x, ε).</summary>
    public required double Value { get; init; }

    /// <summary>‖J_c‖₂, the centre of the Jacobian's interval.</summary>
    public required double JacobianCentreNorm { get; init; }

    /// <summary>‖J_r‖₂, its radius (0 when every nonlinearity is stable and piecewise linear).</summary>
    public required double JacobianRadiusNorm { get; init; }

    /// <summary>δ, the bound on how far A(p) moves over the ball.</summary>
    public required double SoftmaxSpread { get; init; }

    /// <summary>c_p = min(½, 2(1 − lower bound of p_predicted)).</summary>
    public required double ConfidenceFactor { get; init; }

    /// <summary>The expansion's bound alone (null when its unstable sets exceeded the row budget).</summary>
    public double? MaskExpansionValue { get; init; }

    /// <summary>How many unstable entries (ReLU neurons, pool-window candidates) the expansion carried (null: over budget).</summary>
    public int? VaryingEntries { get; init; }

    /// <summary>The expansion's ‖P₁J^c‖ and its bound on sup‖P₁(J(x') − J^c)‖ (null: over budget).</summary>
    public (double Centre, double Deviation)? CentredJacobian { get; init; }

    /// <summary>The expansion's ‖B^½J^c‖ and its bound on sup‖B^½(J(x') − J^c)‖, B the pairwise curvature bound (null: over budget).</summary>
    public (double Centre, double Deviation)? PairwiseJacobian { get; init; }

    /// <summary>The expansion's pairwise form (j_B + r_B)² alone (null: over budget); <see cref="MaskExpansionValue"/> is at most it.</summary>
    public double? PairwiseExpansionValue { get; init; }

    /// <summary>λ_max(B) of the pairwise curvature bound B ⪰ A(p') over the ball (<see cref="PairwiseCurvature"/>).</summary>
    public double PairwiseCurvatureLargest { get; init; }

    /// <param name="expand">The mask expansion for the given logit weightings [P₁, B^½], or null.</param>
    internal static LocalFisherBound Compute(Interval jacobian, Tensor differenceLower, Tensor probabilities, Func<IReadOnlyList<Tensor>, MaskDeviation?> expand)
    {
        using var scope = NewDisposeScope();
        Tensor centre = jacobian.Lower.Plus(jacobian.Upper).Times(0.5);
        Tensor radius = jacobian.Upper.Minus(jacobian.Lower).Times(0.5).ClampBelow(0);
        double centreNorm = SpectralNorm(centre);
        double radiusNorm = SpectralNorm(radius);

        Tensor p = probabilities;
        (Tensor root, double curvatureLargest) = PairwiseCurvature.Root(diag(p).Minus(p.unsqueeze(1).mul(p.unsqueeze(0))));
        double curvatureRoot = Math.Sqrt(curvatureLargest);
        double weightedNorm = SpectralNorm(root.matmul(centre));

        // p_k ≤ 1/Σ_j e^{lower(z_j − z_k)}, p_k ≥ 1/Σ_j e^{−lower(z_k − z_j)} (the j = k terms are e⁰ = 1).
        Tensor upperP = differenceLower.logsumexp(0).neg().exp();
        Tensor lowerP = differenceLower.neg().logsumexp(1).neg().exp();
        Tensor move = maximum(p.Minus(lowerP), upperP.Minus(p)).ClampBelow(0);
        double moveMax = move.max().item<double>();
        double moveNorm = move.norm().item<double>();
        double spread = moveMax + 2 * moveNorm * p.norm().item<double>() + moveNorm * moveNorm;

        int predicted = (int)p.argmax().item<long>();
        double confidence = Math.Min(0.5, 2 * (1 - lowerP[predicted].item<double>()));
        double jacobianNorm = centreNorm + radiusNorm;
        double curvatureAware = Math.Pow(weightedNorm + curvatureRoot * radiusNorm, 2) + spread * jacobianNorm * jacobianNorm;
        double generic = confidence * jacobianNorm * jacobianNorm;
        (Tensor pairRoot, double pairLargest) = PairwiseCurvature.Root(PairwiseCurvature.UpperBound(upperP));
        // ‖B^½(J_c + E)‖ ≤ ‖B^½J_c‖ + ‖B^½‖‖E‖ and ‖E‖ ≤ ‖J_r‖ for |E| ≤ J_r entrywise.
        double pairwise = Math.Pow(SpectralNorm(pairRoot.matmul(centre)) + Math.Sqrt(pairLargest) * radiusNorm, 2);

        long classes = p.shape[0];
        Tensor centring = eye(classes, dtype: p.dtype).Minus(ones(classes, classes, dtype: p.dtype).DividedBy(classes));
        double? expanded = null;
        double? pairedExpansion = null;
        // Two weightings, not three: A(p₀) ⪯ B (p₀ is in the ball), so with ‖A(p₀)^½J‖ ≤ ‖B^½J‖ the spread form
        // (j_A + r_A)² + δ(j_P + r_P)² could only beat (j_B + r_B)² through j_A + r_A < j_B + r_B, while every
        // extra row counts against the expansion's row budget (which decides whether it runs at all).
        MaskDeviation? masks = expand(new[] { centring, pairRoot });
        if (masks is not null)
        {
            double centred = masks.CentreNorms[0] + masks.DeviationBounds[0];
            double paired = masks.CentreNorms[1] + masks.DeviationBounds[1];
            pairedExpansion = paired * paired * (1 + 1e-9);
            expanded = Math.Min(confidence * centred * centred * (1 + 1e-9), pairedExpansion.Value);
        }
        return new LocalFisherBound
        {
            Value = Math.Min(Math.Min(Math.Min(curvatureAware, generic), pairwise) * (1 + 1e-9), expanded ?? double.PositiveInfinity),
            MaskExpansionValue = expanded,
            VaryingEntries = masks?.VaryingRows,
            CentredJacobian = masks is null ? null : (masks.CentreNorms[0], masks.DeviationBounds[0]),
            PairwiseJacobian = masks is null ? null : (masks.CentreNorms[1], masks.DeviationBounds[1]),
            PairwiseCurvatureLargest = pairLargest,
            PairwiseExpansionValue = pairedExpansion,
            JacobianCentreNorm = centreNorm,
            JacobianRadiusNorm = radiusNorm,
            SoftmaxSpread = spread,
            ConfidenceFactor = confidence,
        };
    }

    /// <summary>‖M‖₂ of a K×d matrix from the K×K Gram matrix MMᵀ.</summary>
    private static double SpectralNorm(Tensor m)
    {
        Tensor gram = m.matmul(m.t());
        gram = gram.Plus(gram.t()).Times(0.5);
        return Math.Sqrt(Math.Max(0, linalg.eigvalsh(gram).max().item<double>())) * (1 + 1e-9);
    }
}

using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The softmax Jacobian A(p) = diag(p) − ppᵀ, the middle factor of F = JᵀA(p)J, and its bounds:
/// λ_max(A(p)) ≤ c_p = min(½, 2(1 − p_max)). (Gershgorin: row k sums to 2p_k(1 − p_k) ≤ 2(1 − p_max) for
/// every k; and vᵀAv is the variance of v under p, at most ¼ · (max v − min v)² ≤ ½ for a unit v.)
/// </summary>
public static class SoftmaxCurvature
{
    /// <summary>c_p = min(½, 2(1 − p_max)) with 1 − p_max summed from the other classes (no cancellation near p_max = 1).</summary>
    public static double ConfidenceFactor(IReadOnlyList<double> probabilities)
    {
        int argMax = 0;
        for (int k = 1; k < probabilities.Count; k++)
        {
            if (probabilities[k] > probabilities[argMax])
            {
                argMax = k;
            }
        }
        double rest = 0;
        for (int k = 0; k < probabilities.Count; k++)
        {
            if (k != argMax)
            {
                rest += probabilities[k];
            }
        }
        return Math.Min(0.5, 2 * rest);
    }

    /// <summary>
    /// A(p) for a batch of probability rows [B, K] → [B, K, K]. The diagonal p_k(1 − p_k) is formed as
    /// p_k·Σ_{j≠k} p_j: p_k − p_k² would lose all accuracy for a confident class (p_k ≈ 1), and A's top
    /// eigenvalue is then of the order of 1 − p_max.
    /// </summary>
    internal static Tensor Matrix(Tensor p)
    {
        long classes = p.shape[1];
        Tensor others = (p.unsqueeze(1) * eye(classes, dtype: p.dtype).SubtractedFrom(1.0)).sum(2);   // Σ_{j≠k} p_j
        Tensor offDiagonal = -(p.unsqueeze(2) * p.unsqueeze(1)) * eye(classes, dtype: p.dtype).SubtractedFrom(1.0);
        return offDiagonal.Plus(diag_embed(p * others));
    }

    /// <summary>A(p)u per row, without forming A: p ⊙ u − p (pᵀu).</summary>
    internal static Tensor Apply(Tensor p, Tensor u) => p * u - p * (p * u).sum(1, keepdim: true);

    /// <summary>λ_max(A(p)) per row of a [B, K] probability batch (NaN for rows that are not finite).</summary>
    internal static double[] LargestEigenvalues(Tensor p)
    {
        using var scope = NewDisposeScope();
        Tensor p64 = p.to(float64);
        Tensor finite = isfinite(p64).all(1);
        Tensor safe = where(finite.unsqueeze(1), p64, zeros_like(p64));
        double[] values = linalg.eigvalsh(Matrix(safe)).select(1, -1).ClampBelow(0).data<double>().ToArray();
        bool[] ok = finite.data<bool>().ToArray();
        return values.Select((v, i) => ok[i] ? v : double.NaN).ToArray();
    }
}

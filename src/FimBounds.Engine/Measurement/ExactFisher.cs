using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// λ_max(F(x)) from the logit Jacobian. With g_k = ∇ₓ log p_k = Jᵀ(e_k − p) (because log p_k = z_k −
/// logsumexp z), Q = [g_1 … g_K] = Jᵀ M with M = I − p1ᵀ, and F = QΛQᵀ (Λ = diag p) has the nonzero
/// eigenvalues of the K×K matrix Λ^½ QᵀQ Λ^½ = Λ^½ Mᵀ (JJᵀ) M Λ^½. Forming e_k − p in float64 from
/// log_softmax (1 − p_k = −expm1(log p_k)) keeps g_k accurate even when p_k ≈ 1, where back-propagating
/// log p_k in the model's precision would cancel. <see cref="InputJacobian"/> hands over D = (I − 1e_Kᵀ)J
/// instead of J (one backward pass fewer); MᵀD = MᵀJ because every column of M sums to zero, so the
/// formulas hold unchanged. The centred Gram matrix P DDᵀ P = PJJᵀP (P = I − 11ᵀ/K) gives ‖PJ‖₂ for the
/// local bound: F = JᵀP A(p) PJ since A(p)1 = 0, so λ_max(A(p))‖PJ‖₂² ≥ λ_max(F), and ‖PJ‖₂ ≤ ‖J‖₂.
/// </summary>
internal static class ExactFisher
{
    /// <summary>One sample per row of <paramref name="logits"/> [B, K] and <paramref name="jacobian"/> [B, K, d].</summary>
    public static List<FimSample> Samples(Tensor logits, Tensor jacobian, int firstIndex, bool keepEigenvectors)
    {
        using var scope = NewDisposeScope();
        long batch = logits.shape[0];
        long classes = logits.shape[1];
        bool[] finiteLogits = isfinite(logits).all(1).data<bool>().ToArray();
        bool[] finiteRows = isfinite(jacobian).flatten(1).all(1).data<bool>().ToArray();
        // Non-finite inputs are zeroed so that the batched eigen-solve stays well defined; they are
        // reported as such below and never enter a summary.
        bool[] ok = finiteLogits.Zip(finiteRows, (a, b) => a && b).ToArray();
        Tensor z = logits;
        Tensor j = jacobian;
        if (!ok.All(o => o))
        {
            Tensor okMask = tensor(ok);
            z = where(okMask.unsqueeze(1), logits, zeros_like(logits));
            j = where(okMask.view(batch, 1, 1), jacobian, zeros_like(jacobian));
        }

        Tensor logP = nn.functional.log_softmax(z, 1);
        Tensor p = logP.exp();
        Tensor oneMinusP = logP.expm1().neg();
        Tensor eye = torch.eye(classes, dtype: float64);
        Tensor m = diag_embed(oneMinusP) - p.unsqueeze(2) * eye.SubtractedFrom(1.0);   // column k = e_k − p
        Tensor gram = bmm(j, j.transpose(1, 2));                           // JJᵀ, [B, K, K]
        Tensor qtq = bmm(bmm(m.transpose(1, 2), gram), m);                 // QᵀQ
        Tensor sqrtP = p.sqrt();
        Tensor s = sqrtP.unsqueeze(2) * qtq * sqrtP.unsqueeze(1);
        s = s.Plus(s.transpose(1, 2)).DividedBy(2);
        (Tensor eigenvalues, Tensor eigenvectors) = linalg.eigh(s);
        double[] lambda = eigenvalues.select(1, -1).ClampBelow(0).data<double>().ToArray();
        double[] trace = s.diagonal(0, 1, 2).sum(1).data<double>().ToArray();
        Tensor centre = eye - TensorMath.Filled([classes, classes], 1.0 / classes, float64);
        Tensor centred = centre.matmul(gram).matmul(centre);                                  // PJJᵀP
        double[] jacobianNormSquared = linalg.eigvalsh(centred.Plus(centred.transpose(1, 2)).DividedBy(2)).select(1, -1).ClampBelow(0).data<double>().ToArray();
        double[] curvature = SoftmaxCurvature.LargestEigenvalues(p);
        double[] probabilities = p.data<double>().ToArray();

        float[][]? vectors = null;
        if (keepEigenvectors)
        {
            // F (QΛ^½u) = QΛ^½ (Λ^½QᵀQΛ^½) u = λ QΛ^½u: the top eigenvector of F in input space.
            Tensor coefficients = bmm(m, (sqrtP * eigenvectors.select(2, -1)).unsqueeze(2));   // [B, K, 1]
            Tensor v = bmm(j.transpose(1, 2), coefficients).squeeze(2);
            v = v / v.norm(1, keepdim: true).ClampBelow(1e-300);
            vectors = Enumerable.Range(0, (int)batch).Select(b => v[b].to(float32).data<float>().ToArray()).ToArray();
        }

        var samples = new List<FimSample>((int)batch);
        for (int b = 0; b < batch; b++)
        {
            double[] pb = probabilities.AsSpan(b * (int)classes, (int)classes).ToArray();
            if (!finiteLogits[b] || !finiteRows[b])
            {
                samples.Add(new FimSample
                {
                    Index = firstIndex + b,
                    Status = finiteLogits[b] ? SampleStatus.NonFiniteGradients : SampleStatus.NonFiniteLogits,
                    Problem = finiteLogits[b] ? "input gradient contains NaN or Inf" : "logits contain NaN or Inf",
                });
                continue;
            }
            int predicted = Array.IndexOf(pb, pb.Max());
            samples.Add(new FimSample
            {
                Index = firstIndex + b,
                LambdaMax = lambda[b],
                Trace = trace[b],
                PMax = pb[predicted],
                PredictedClass = predicted,
                Probabilities = pb,
                ConfidenceFactor = SoftmaxCurvature.ConfidenceFactor(pb),
                SoftmaxCurvature = curvature[b],
                JacobianNorm = Math.Sqrt(jacobianNormSquared[b]),
                LocalBound = RoundingMargin.Up(curvature[b] * jacobianNormSquared[b]),
                Eigenvector = vectors?[b],
            });
        }
        return samples;
    }
}

using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Study;

/// <summary>
/// δᵀF(x)δ straight from the definition F(x) = Σ_k p_k g_k g_kᵀ, g_k = ∇ₓ log p_k(x) = Jᵀ(e_k − p):
/// with u = Jδ (the logits' directional derivatives), g_kᵀδ = u_k − pᵀu, so
/// δᵀFδ = Σ_k p_k (g_kᵀδ)² = Σ_k p_k u_k² − (Σ_k p_k u_k)², the p-weighted variance of u.
/// Computed with one forward pass and K backward passes (one per class, batched over inputs; the model
/// must be in eval mode so inputs do not interact). An independent reference for the engine's F.
/// </summary>
public static class FisherQuadraticForm
{
    /// <summary>δᵀF(x)δ for every input of the batch (N values, float64).</summary>
    public static Tensor Compute(nn.Module<Tensor, Tensor> model, Tensor x, Tensor delta)
    {
        if (!x.shape.SequenceEqual(delta.shape))
        {
            throw new ArgumentException("x and δ must have the same shape");
        }
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        Tensor leaf = x.detach().requires_grad_(true);
        Tensor logits = model.call(leaf);
        long classes = logits.shape[1];
        // The last step is a variance; with a confident softmax it is tiny next to E[u²], so it is
        // taken in float64 and in the centred form Σ p (u − ū)², which does not cancel.
        Tensor p = nn.functional.softmax(logits.detach().to_type(ScalarType.Float64), 1);
        Tensor flatDelta = delta.detach().flatten(1);
        var directional = new List<Tensor>();
        for (long k = 0; k < classes; k++)
        {
            Tensor gradient = autograd.grad(new[] { logits.select(1, k).sum() }, new[] { leaf }, retain_graph: k < classes - 1)[0];
            directional.Add((gradient.flatten(1) * flatDelta).to_type(ScalarType.Float64).sum(1));
        }
        Tensor u = stack(directional, 1);
        Tensor centred = u - (p * u).sum(1, keepdim: true);
        return (p * centred.Power(2)).sum(1).MoveToOuterDisposeScope();
    }
}

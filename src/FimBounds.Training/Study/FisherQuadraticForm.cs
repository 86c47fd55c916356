using static TorchSharp.torch;

namespace FimBounds.Training.Study;

/// <summary>
/// δᵀF(x)δ straight from the definition F(x) = Σ_k p_k g_k g_kᵀ, g_k = ∇ₓ log p_k(x) = Jᵀ(e_k − p):
/// with u = Jδ (the logits' directional derivatives), g_kᵀδ = u_k − pᵀu, so
/// δᵀFδ = Σ_k p_k (g_kᵀδ)² = Σ_k p_k u_k² − (Σ_k p_k u_k)², the p-weighted variance of u.
/// Computed with one forward pass and K backward passes (one per class, batched over inputs; the model
/// must be in eval mode so inputs do not interact). An independent reference for the engine's F.
/// </summary>
public static class FisherQuadraticForm
{
    /// <summary>δᵀF(x)δ for every input of the batch (N values).</summary>
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
        Tensor p = nn.functional.softmax(logits.detach(), 1);
        Tensor flatDelta = delta.detach().flatten(1);
        var directional = new List<Tensor>();
        for (long k = 0; k < classes; k++)
        {
            Tensor gradient = autograd.grad(new[] { logits[.., k].sum() }, new[] { leaf }, retain_graph: k < classes - 1)[0];
            directional.Add((gradient.flatten(1) * flatDelta).sum(1));
        }
        Tensor u = stack(directional, 1);
        Tensor mean = (p * u).sum(1);
        return ((p * u.square()).sum(1) - mean.square()).clamp_min(0.0).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The logit Jacobian of a batch up to the one direction softmax ignores: rows D_k = ∇ₓ(z_k − z_K), with
/// D_K = 0, from one forward pass and K − 1 backward passes of Σ_b (z_k − z_K)(x_b) with respect to the
/// input batch (in eval mode the inputs of a batch do not interact, so the gradient of the sum is every
/// input's own gradient). D = (I − 1e_Kᵀ)J, and because softmax is shift-invariant (A(p)1 = 0, and every
/// e_k − p sums to zero) everything the FIM needs is the same with D as with J: F = DᵀA(p)D, Q = DᵀM. The
/// last backward pass — a tenth of the exact method's cost at K = 10 — is saved. Rows are float64.
/// </summary>
internal static class InputJacobian
{
    /// <summary>Logits [B, K] and the shifted Jacobian rows D [B, K, d] (last row zero), both float64 and detached.</summary>
    public static (Tensor Logits, Tensor Jacobian) Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        Tensor x = inputs.detach().requires_grad_(true);
        Tensor z = Logits(model, x);
        long batch = x.shape[0];
        long classes = z.shape[1];
        var rows = new Tensor[classes];
        Tensor last = z.select(1, classes - 1);
        Tensor Row(long k, bool retain) => autograd.grad(new[] { (z.select(1, k) - last).sum() }, new[] { x }, retain_graph: retain)[0];
        for (long k = 0; k < classes - 1; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            using Tensor gradient = Row(k, retain: k < classes - 2);
            rows[k] = gradient.reshape(batch, -1).to(float64);
        }
        rows[classes - 1] = zeros(batch, x.numel() / batch, dtype: float64);
        Tensor jacobian = stack(rows, 1);
        return (z.detach().to(float64).MoveToOuterDisposeScope(), jacobian.MoveToOuterDisposeScope());
    }

    /// <summary>Runs the model and checks that it returns one logit vector per input.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        Tensor z = model.call(x);
        if (z.dim() != 2 || z.shape[0] != x.shape[0])
        {
            throw new InvalidOperationException(
                $"the model returned a tensor of shape [{string.Join(", ", z.shape)}] for {x.shape[0]} inputs; " +
                "FIM measurement needs logits of shape [batch, classes].");
        }
        return z;
    }
}

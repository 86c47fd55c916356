using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The logit Jacobian J = ∂z/∂x of a batch: one forward pass, then K backward passes of Σ_b z_k(x_b) with
/// respect to the input batch. In eval mode the inputs of a batch do not interact, so the gradient of the
/// sum is every input's own gradient. Rows are returned in float64.
/// </summary>
internal static class InputJacobian
{
    /// <summary>Logits [B, K] and Jacobian rows [B, K, d], both float64 and detached.</summary>
    public static (Tensor Logits, Tensor Jacobian) Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        Tensor x = inputs.detach().requires_grad_(true);
        Tensor z = Logits(model, x);
        long batch = x.shape[0];
        long classes = z.shape[1];
        var rows = new Tensor[classes];
        for (long k = 0; k < classes; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            using Tensor gradient = autograd.grad(new[] { z.select(1, k).sum() }, new[] { x }, retain_graph: k < classes - 1)[0];
            rows[k] = gradient.reshape(batch, -1).to(float64);
        }
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

using FimBounds.Engine.Linearization;
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
/// Models the <see cref="Linearizer"/> knows (VGG, ResNet, DenseNet families) take the rows from their
/// recorded linear network, which needs no autograd graph and folds eval BatchNorms into neighbours;
/// others (attention, LayerNorm) through autograd. Both give the same rows to float round-off (tested).
/// </summary>
internal static class InputJacobian
{
    /// <summary>Logits [B, K] and the shifted Jacobian rows D [B, K, d] (last row zero), both float64 and detached.</summary>
    public static (Tensor Logits, Tensor Jacobian) Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        using LinearizedNetwork? network = Linearizer.Supports(model) ? LinearizedNetwork.Record(model, inputs) : null;
        (Tensor z, Func<long, bool, Tensor> row) = network is null ? ThroughAutograd(model, inputs) : Linearized(network, inputs);
        long batch = inputs.shape[0];
        long classes = z.shape[1];
        var rows = new Tensor[classes];
        for (long k = 0; k < classes - 1; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            using Tensor gradient = row(k, k < classes - 2);
            rows[k] = gradient.reshape(batch, -1).to(float64);
        }
        rows[classes - 1] = zeros(batch, inputs.numel() / batch, dtype: float64);
        Tensor jacobian = stack(rows, 1);
        return (z.detach().to(float64).MoveToOuterDisposeScope(), jacobian.MoveToOuterDisposeScope());
    }

    /// <summary>Rows through the recorded linear network: Dᵀ(e_k − e_K) per input, no autograd.</summary>
    private static (Tensor Logits, Func<long, bool, Tensor> Row) Linearized(LinearizedNetwork network, Tensor inputs)
    {
        Tensor z = CheckLogits(network.Logits, inputs);
        long classes = z.shape[1];
        Tensor identity = eye(classes, dtype: z.dtype, device: z.device);
        Tensor shifts = (identity - identity[classes - 1]).unsqueeze(1).expand(classes, inputs.shape[0], classes);
        return (z, (k, _) => network.Vjp(shifts[k]));
    }

    /// <summary>Rows by K − 1 backward passes of Σ_b (z_k − z_K)(x_b) through autograd's graph.</summary>
    private static (Tensor Logits, Func<long, bool, Tensor> Row) ThroughAutograd(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        Tensor x = inputs.detach().requires_grad_(true);
        Tensor z = Logits(model, x);
        Tensor last = z.select(1, z.shape[1] - 1);
        return (z, (k, retain) => autograd.grad(new[] { (z.select(1, k) - last).sum() }, new[] { x }, retain_graph: retain)[0]);
    }

    /// <summary>Runs the model and checks that it returns one logit vector per input.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor x) => CheckLogits(model.call(x), x);

    /// <summary>Checks that <paramref name="z"/> holds one logit vector per input of <paramref name="x"/>.</summary>
    public static Tensor CheckLogits(Tensor z, Tensor x)
    {
        if (z.dim() != 2 || z.shape[0] != x.shape[0])
        {
            throw new InvalidOperationException(
                $"the model returned a tensor of shape [{string.Join(", ", z.shape)}] for {x.shape[0]} inputs; " +
                "FIM measurement needs logits of shape [batch, classes].");
        }
        return z;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// A network's logits and Jacobian J at one batch of inputs, recorded by one forward pass without
/// autograd (see <see cref="Linearizer"/>). Jᵀu costs about one backward pass without autograd's
/// bookkeeping, and with an eval BatchNorm folded into its neighbour; Jv is one forward pass of the
/// linear network instead of autograd's double-backward trick. Owns the recorded tensors (dispose it).
/// </summary>
internal sealed class LinearizedNetwork : IDisposable
{
    private readonly IReadOnlyList<IDisposable> _recorded;
    private readonly LinearMap _jacobian;
    private readonly long[] _inputShape;

    private LinearizedNetwork(IReadOnlyList<IDisposable> recorded, LinearMap jacobian, Tensor logits, long[] inputShape)
    {
        _recorded = recorded;
        _jacobian = jacobian;
        Logits = logits;
        _inputShape = inputShape;
    }

    /// <summary>The logits [B, K], in the model's dtype, detached.</summary>
    public Tensor Logits { get; }

    /// <summary>Records <paramref name="model"/> at <paramref name="inputs"/>; the model must satisfy <see cref="Linearizer.Supports"/>.</summary>
    public static LinearizedNetwork Record(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        // The recorded tensors leave the scope they were made in: the network owns them, whatever scopes
        // its caller opens and closes while it is alive.
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = no_grad();
        var builder = new SequenceBuilder();
        Tensor logits = Linearizer.Record(model, inputs.detach(), builder);
        LinearMap jacobian = builder.Build();
        IDisposable[] recorded = scope.DisposablesView.ToArray();
        scope.Detach(recorded);
        return new LinearizedNetwork(recorded, jacobian, logits, inputs.shape);
    }

    /// <summary>J v for v [B, input…] (any shape with B·d elements): [B, K].</summary>
    public Tensor Jvp(Tensor v)
    {
        using var noGrad = no_grad();
        return _jacobian.Apply(v.reshape(_inputShape).to(Logits.dtype));
    }

    /// <summary>Jᵀ u for u [B, K]: [B, input…].</summary>
    public Tensor Vjp(Tensor u)
    {
        using var noGrad = no_grad();
        return _jacobian.Transpose(u.to(Logits.dtype));
    }

    public void Dispose()
    {
        foreach (IDisposable tensor in _recorded)
        {
            tensor.Dispose();
        }
    }
}

using FimBounds.Engine.Linearization;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The operator v ↦ F(x)v = JᵀA(p)Jv for a batch of inputs, without forming J. Models the
/// <see cref="Linearizer"/> knows run J and Jᵀ on their recorded linear network (one linear forward
/// and one transposed pass per application). Others go through autograd: the VJP u ↦ Jᵀu is a
/// backward pass; the JVP v ↦ Jv uses the double-backward trick: g(w) = Jᵀw is linear in a dummy w, so
/// differentiating ⟨g(w), v⟩ with respect to w gives Jv. Both graphs are built once and reused by every
/// application (one second-order backward + one backward each). Vectors are [B, d] float64.
/// Owns a dispose scope: tensors the caller creates while this object is alive and not inside its own
/// inner scope are released with it, so callers copy results out before disposing.
/// </summary>
internal sealed class MatrixFreeFisher : IDisposable
{
    private readonly DisposeScope _scope;
    private readonly LinearizedNetwork? _network;
    private readonly Tensor _x;
    private readonly Tensor _z;
    private readonly Tensor? _w;
    private readonly Tensor? _jtw;

    public MatrixFreeFisher(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        _scope = NewDisposeScope();
        try
        {
            if (Linearizer.Supports(model))
            {
                _network = LinearizedNetwork.Record(model, inputs);
                _x = inputs;
                _z = InputJacobian.CheckLogits(_network.Logits, inputs);
            }
            else
            {
                _x = inputs.detach().requires_grad_(true);
                _z = InputJacobian.Logits(model, _x);
            }
            Logits = _z.detach().to(float64);
            LogProbabilities = nn.functional.log_softmax(Logits, 1);
            Probabilities = LogProbabilities.exp();
            if (_network is not null)
            {
                return;
            }
            _w = zeros_like(_z).requires_grad_(true);
            _jtw = autograd.grad(new[] { _z }, new[] { _x }, new[] { _w }, retain_graph: true, create_graph: true)[0];
            if (!_jtw.requires_grad)
            {
                throw new InvalidOperationException("the model's input gradient does not depend on the output weights; cannot form Jacobian-vector products.");
            }
        }
        catch
        {
            _network?.Dispose();
            _scope.Dispose();
            throw;
        }
    }

    public long Batch => _x.shape[0];

    public long Dimension => _x.numel() / _x.shape[0];

    public long Classes => _z.shape[1];

    /// <summary>Logits [B, K] in float64.</summary>
    public Tensor Logits { get; }

    public Tensor LogProbabilities { get; }

    /// <summary>p(·|x) [B, K] in float64.</summary>
    public Tensor Probabilities { get; }

    /// <summary>Jv: [B, d] → [B, K].</summary>
    public Tensor Jvp(Tensor v) => _network is { } network
        ? network.Jvp(v).to(float64)
        : autograd.grad(new[] { _jtw! }, new[] { _w! }, new[] { v.reshape(_x.shape).to(_x.dtype) }, retain_graph: true)[0].to(float64);

    /// <summary>Jᵀu: [B, K] → [B, d].</summary>
    public Tensor Vjp(Tensor u) => (_network is { } network
        ? network.Vjp(u)
        : autograd.grad(new[] { _z }, new[] { _x }, new[] { u.to(_z.dtype) }, retain_graph: true)[0]).reshape(Batch, -1).to(float64);

    /// <summary>F v = Jᵀ A(p) J v.</summary>
    public Tensor Apply(Tensor v) => Vjp(SoftmaxCurvature.Apply(Probabilities, Jvp(v)));

    /// <summary>vᵀ F v = (Jv)ᵀ A(p) (Jv) per row, from one JVP.</summary>
    public Tensor QuadraticForm(Tensor v)
    {
        Tensor u = Jvp(v);
        return (u * SoftmaxCurvature.Apply(Probabilities, u)).sum(1);
    }

    public void Dispose()
    {
        _network?.Dispose();
        _scope.Dispose();
    }
}

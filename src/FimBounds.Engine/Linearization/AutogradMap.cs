using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// A linear or affine operation (average pooling, a convolution with its bias) whose transpose is
/// libtorch's own backward kernel: the operation runs once on the recorded input, detached and
/// requiring a gradient, and every Jᵀu is one backward pass through that one-node graph. Its linear
/// part's backward does not depend on the input's values, and libtorch's kernels serve any kernel
/// size, stride, padding and output size. Built while recording, inside the network's scope; the
/// forward result is the layer's output, computed exactly as the model computes it (so max-pooling
/// ties downstream break as in the model), and recording costs nothing extra.
/// </summary>
internal sealed class AutogradMap : LinearMap
{
    private readonly Func<Tensor, Tensor> _linearPart;
    private readonly Tensor _input;
    private readonly Tensor _output;

    /// <param name="operation">The layer as the model runs it.</param>
    /// <param name="input">The recorded input.</param>
    /// <param name="linearPart">The operation without its constant (a bias); the operation itself when null.</param>
    public AutogradMap(Func<Tensor, Tensor> operation, Tensor input, Func<Tensor, Tensor>? linearPart = null)
    {
        _linearPart = linearPart ?? operation;
        using var grad = enable_grad();
        _input = input.detach().requires_grad_(true);
        _output = operation(_input);
        Output = _output.detach();
    }

    /// <summary>The operation applied to the recorded input (detached).</summary>
    public Tensor Output { get; }

    public override Tensor Apply(Tensor v) => _linearPart(v);

    public override Tensor Transpose(Tensor u) =>
        autograd.grad(new[] { _output }, new[] { _input }, new[] { u }, retain_graph: true)[0];
}

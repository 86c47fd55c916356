using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// ‖∂f/∂x‖₂ at one point by Lanczos on JᵀJ, with JVPs by the double-backward trick and VJPs by backward
/// passes: for layers too large for a dense Jacobian. Returns ‖Jv‖ for the top Ritz vector v — a value
/// the Jacobian attains (a lower estimate that converges to the norm).
/// </summary>
public static class KrylovJacobianNorm
{
    public static double Estimate(Func<Tensor, Tensor> f, Tensor x, int steps = 40)
    {
        using var scope = NewDisposeScope();
        Tensor input = x.unsqueeze(0).detach().clone().requires_grad_(true);
        Tensor y = f(input);
        Tensor w = zeros_like(y).requires_grad_(true);
        Tensor g = autograd.grad(new[] { y }, new[] { input }, new[] { w }, retain_graph: true, create_graph: true)[0];
        Tensor Jv(Tensor v) => autograd.grad(new[] { g }, new[] { w }, new[] { v.reshape(input.shape) }, retain_graph: true, allow_unused: true)[0]
            is { } r && !r.IsInvalid ? r : zeros_like(y);
        Tensor JtU(Tensor u) => autograd.grad(new[] { y }, new[] { input }, new[] { u }, retain_graph: true)[0];
        Tensor top = KrylovTopEigenvalue.TopVector(v => JtU(Jv(v)), input.shape, steps, 1e-10, seed: 5);
        return Jv(top).norm().item<double>();
    }
}

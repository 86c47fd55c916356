using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Foundation;

/// <summary>The foundation's promise: libtorch loads from the build output and autograd gives input gradients.</summary>
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void Input_gradient_of_a_small_network_matches_the_analytic_value()
    {
        using var scope = NewDisposeScope();
        // f(x) = w·tanh(x): ∂f/∂x_i = w_i (1 − tanh²(x_i)).
        Tensor w = tensor(new[] { 0.5, -2.0, 3.0 }, dtype: float64);
        Tensor x = tensor(new[] { 0.1, -0.4, 0.7 }, dtype: float64).requires_grad_(true);
        Tensor f = (w * x.tanh()).sum();
        f.backward();

        double[] expected = new[] { 0.1, -0.4, 0.7 }
            .Select((xi, i) => new[] { 0.5, -2.0, 3.0 }[i] * (1 - Math.Tanh(xi) * Math.Tanh(xi)))
            .ToArray();
        double[] actual = x.grad!.data<double>().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }
}

using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Study;

public sealed class FisherQuadraticFormTests
{
    /// <summary>A small smooth network in float64: 3 classes over 2×3×3 inputs.</summary>
    private static nn.Module<Tensor, Tensor> SmallNetwork()
    {
        manual_seed(17);
        var model = nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(18, 12, dtype: ScalarType.Float64)),
            ("tanh", nn.Tanh()),
            ("fc2", nn.Linear(12, 3, dtype: ScalarType.Float64)));
        model.eval();
        return model;
    }

    /// <summary>F(x) built densely from its definition Σ_k p_k g_k g_kᵀ, g_k = ∇ₓ log p_k (autograd of log-softmax).</summary>
    private static Tensor DenseFisher(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        Tensor leaf = x.detach().requires_grad_(true);
        Tensor logP = nn.functional.log_softmax(model.call(leaf), 1);
        long d = x[0].numel();
        Tensor fisher = zeros(d, d, dtype: ScalarType.Float64);
        for (int k = 0; k < logP.shape[1]; k++)
        {
            Tensor g = autograd.grad(new[] { logP[0, k] }, new[] { leaf }, retain_graph: true)[0].flatten();
            fisher += logP[0, k].exp().detach() * outer(g, g);
        }
        return fisher;
    }

    [Fact]
    public void Matches_the_dense_fisher_matrix()
    {
        using var scope = NewDisposeScope();
        using var model = SmallNetwork();
        manual_seed(2);
        Tensor x = rand(new long[] { 4, 2, 3, 3 }, dtype: ScalarType.Float64);
        Tensor delta = randn(new long[] { 4, 2, 3, 3 }, dtype: ScalarType.Float64);

        double[] fast = FisherQuadraticForm.Compute(model, x, delta).data<double>().ToArray();

        for (int n = 0; n < 4; n++)
        {
            Tensor dense = DenseFisher(model, x[n..(n + 1)]);
            Tensor v = delta[n].flatten();
            double expected = v.dot(dense.matmul(v)).item<double>();
            Assert.Equal(expected, fast[n], expected * 1e-10);
        }
    }

    [Fact]
    public void Is_quadratic_in_delta_and_zero_along_no_direction()
    {
        using var scope = NewDisposeScope();
        using var model = SmallNetwork();
        Tensor x = rand(new long[] { 2, 2, 3, 3 }, dtype: ScalarType.Float64);
        Tensor delta = randn(new long[] { 2, 2, 3, 3 }, dtype: ScalarType.Float64);

        Tensor once = FisherQuadraticForm.Compute(model, x, delta);
        Tensor thrice = FisherQuadraticForm.Compute(model, x, delta * 3);
        Tensor none = FisherQuadraticForm.Compute(model, x, zeros_like(delta));

        Assert.True(allclose(thrice, once * 9, rtol: 1e-12, atol: 0));
        Assert.Equal(0.0, none.abs().max().item<double>());
    }
}

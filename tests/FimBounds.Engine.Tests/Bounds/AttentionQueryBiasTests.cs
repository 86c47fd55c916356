using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// Counterexample to the single-head attention bound σ(W_V)(√n + n R² σ(W_Q W_Kᵀ)/√d_k) of DESIGN.md §7
/// applied to PyTorch's attention, which has a query bias: with W_Q = 0 that formula says the layer is
/// as smooth as its value path, but the query bias makes score (i, j) = b_Qᵀ W_K x_j vary with the input.
/// The shared rule's κ = ‖W_Kᵀ b_Q‖ term, evaluated by the engine, stays above the true Jacobian.
/// </summary>
public sealed class AttentionQueryBiasTests
{
    [Fact]
    public void Query_bias_breaks_the_bias_free_formula_and_the_instantiated_rule_covers_it()
    {
        ArchitectureDescription description = DescriptionBuilder.Describe("attention-only", Shape.Tokens(3, 2), 2, b => b.Attention(1));
        var model = new DescribedModel(description, seed: 81);
        using (no_grad())
        {
            var attention = (TestAttention)model.named_modules().Single(m => m.module is TestAttention).module;
            Tensor w = attention.get_parameter("in_proj_weight")!;
            w.zero_();
            w.narrow(0, 2, 2).copy_(eye(2, dtype: float64));      // W_K = I
            w.narrow(0, 4, 2).copy_(eye(2, dtype: float64));      // W_V = I (W_Q stays 0)
            attention.get_parameter("in_proj_bias")!.copy_(tensor(new[] { 6.0, 0, 0, 0, 0, 0 }, dtype: float64));
            var outProj = (TorchSharp.Modules.Linear)attention.named_children().Single().module;
            outProj.weight!.copy_(eye(2, dtype: float64));
            outProj.bias!.zero_();
        }
        Tensor x = tensor(new[] { 0.4, 0.1, -0.3, 0.5, 0.1, -0.6 }, dtype: float64).reshape(1, 3, 2);

        double actual = LayerJacobian.SpectralNorm(t => model.call(t), x[0]);
        double biasFree = Math.Sqrt(3);   // σ(W_V) = σ(W_O) = 1 and σ(W_Q W_Kᵀ) = 0: only the value path remains
        InstantiatedBound bound = BoundInstantiator.Instantiate(description, model, x);

        Assert.True(actual > biasFree * 1.1, $"expected the bias-free formula ({biasFree}) to be violated, Jacobian norm {actual}");
        Assert.True(actual <= bound.Lipschitz, $"instantiated factor {bound.Lipschitz} below the Jacobian norm {actual}");
        Assert.Contains(bound.Quantities, q => q.Quantity == "AttentionQueryBiasKeyNorm" && Math.Abs(q.Value - 6.0) < 1e-6);
    }
}

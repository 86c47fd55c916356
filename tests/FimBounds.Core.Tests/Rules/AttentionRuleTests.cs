using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using TorchSharp;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>The multi-head attention rule against PyTorch's nn.MultiheadAttention (biases included).</summary>
public class AttentionRuleTests
{
    [Theory]
    [InlineData(5, 8, 2, 1.0, true)]
    [InlineData(5, 8, 2, 3.0, true)]
    [InlineData(4, 6, 3, 2.0, true)]
    [InlineData(6, 8, 1, 2.0, false)]
    public void Attention_factor_bounds_the_jacobian_for_tokens_within_the_radius(int tokens, int dim, int heads, double weightScale, bool bias)
    {
        using var scope = NewDisposeScope();
        Seed(20 + tokens + heads);
        var mha = nn.MultiheadAttention(dim, heads, bias: bias);
        mha.to(float64);
        using (no_grad())
        {
            foreach (var (_, p) in mha.named_parameters())
            {
                p.copy_(randn(p.shape, dtype: float64) * weightScale / Math.Sqrt(dim));
            }
        }
        var layer = new MultiHeadSelfAttention("attn", Shape.Tokens(tokens, dim), Shape.Tokens(tokens, dim), dim, heads);
        Expr factor = BoundDeriver.FactorOf(layer);
        Assert.Contains(factor.Symbols(), s => s.Name == "R_attn");
        var values = AttentionQuantities.Of(mha, "attn", dim, heads);
        if (!bias)
        {
            Assert.All(values.Where(kv => kv.Key.StartsWith("kappa_", StringComparison.Ordinal)), kv => Assert.Equal(0.0, kv.Value));
        }
        Func<Tensor, Tensor> f = x =>
        {
            Tensor batch = x.reshape(tokens, 1, dim);
            var (y, _) = mha.call(batch, batch, batch, null, false, null);
            return y;
        };
        for (int trial = 0; trial < 4; trial++)
        {
            Tensor x = randn(tokens, dim, dtype: float64) * (0.5 + trial);
            values["R_attn"] = x.norm(1).max().item<double>();
            AssertBounded(JacobianNorm(f, x), factor.Evaluate(values), $"attention, trial {trial}");
        }
    }

    [Fact]
    public void Without_query_bias_the_head_factor_is_the_closed_form_of_design_section_7()
    {
        // L_head ≤ σ(W_V)(√n + n R² σ(M)/√d_k) when κ = 0.
        var layer = new MultiHeadSelfAttention("attn", Shape.Tokens(5, 8), Shape.Tokens(5, 8), 8, 2);
        Expr r = Expr.Sym("R");
        Expr head = AttentionRule.HeadFactor(layer, 0, r).Substitute(new Dictionary<string, Expr> { ["kappa_attn[0]"] = Expr.Zero });
        Expr sigmaV = Expr.Sym("sigmaV_attn[0]");
        Expr sigmaM = Expr.Sym("sigmaQK_attn[0]");
        Expr expected = sigmaV * (Expr.Sqrt(5) + Expr.Mul(5, Expr.Pow(r, 2), sigmaM) / Expr.Sqrt(4));
        Assert.Equal(expected, head);
    }
}

using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using TorchSharp;
using TorchSharp.Modules;
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
        MultiheadAttention mha = RandomAttention(dim, heads, weightScale, bias);
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

    /// <summary>
    /// The ratios ρ_P, ρ_X, ρ_V measured at the calibration tokens (each from its definition) bound the
    /// attention's Jacobian at those tokens, far below the worst case ρ = 1; tokens of very different norms and
    /// peaked softmax rows (large weights) included.
    /// </summary>
    [Theory]
    [InlineData(5, 8, 2, 1.0, true)]
    [InlineData(7, 8, 2, 4.0, true)]
    [InlineData(4, 6, 3, 2.0, true)]
    [InlineData(6, 8, 1, 3.0, false)]
    public void Attention_factor_with_calibrated_ratios_bounds_the_jacobian_at_the_calibration_tokens(int tokens, int dim, int heads, double weightScale, bool bias)
    {
        using var scope = NewDisposeScope();
        Seed(40 + tokens + heads);
        MultiheadAttention mha = RandomAttention(dim, heads, weightScale, bias);
        var parameters = mha.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        Tensor w = parameters["in_proj_weight"];
        Tensor b = parameters.TryGetValue("in_proj_bias", out Tensor? inBias) ? inBias : zeros(3 * dim, dtype: float64);
        var layer = new MultiHeadSelfAttention("attn", Shape.Tokens(tokens, dim), Shape.Tokens(tokens, dim), dim, heads);
        Expr factor = BoundDeriver.FactorOf(layer);
        Func<Tensor, Tensor> f = x =>
        {
            Tensor batch = x.reshape(tokens, 1, dim);
            var (y, _) = mha.call(batch, batch, batch, null, false, null);
            return y;
        };
        double worstOverCalibrated = double.PositiveInfinity;
        for (int trial = 0; trial < 4; trial++)
        {
            // Tokens with a shared direction plus noise of growing size, scaled per token.
            Tensor x = (randn(1, dim, dtype: float64) * 2.0 + randn(tokens, dim, dtype: float64) * (0.3 + trial)) * (rand(tokens, 1, dtype: float64) + 0.5);
            double radius = x.norm(1).max().item<double>();
            var worst = AttentionQuantities.Of(mha, "attn", dim, heads);
            worst["R_attn"] = radius;
            var calibrated = new Dictionary<string, double>(worst);
            AttentionQuantities.CalibratedRatios(calibrated, w, b, x, radius, "attn", dim, heads);
            Assert.All(calibrated.Where(kv => kv.Key.StartsWith("rho", StringComparison.Ordinal)), kv => Assert.InRange(kv.Value, 0.0, 1.0 + 1e-12));
            double bound = factor.Evaluate(calibrated);
            AssertBounded(JacobianNorm(f, x), bound, $"calibrated attention, trial {trial}");
            worstOverCalibrated = Math.Min(worstOverCalibrated, factor.Evaluate(worst) / bound);
        }
        Assert.True(worstOverCalibrated > 1.0, $"the calibrated factor should be below the worst case; ratio {worstOverCalibrated}");
    }

    /// <summary>A float64 nn.MultiheadAttention with every parameter drawn N(0, weightScale²/dim).</summary>
    private static MultiheadAttention RandomAttention(int dim, int heads, double weightScale, bool bias)
    {
        var mha = nn.MultiheadAttention(dim, heads, bias: bias);
        mha.to(float64);
        using (no_grad())
        {
            foreach (var (_, p) in mha.named_parameters())
            {
                p.copy_(randn(p.shape, dtype: float64) * weightScale / Math.Sqrt(dim));
            }
        }
        return mha;
    }

    [Fact]
    public void Without_query_bias_the_head_factor_is_the_closed_form_of_design_section_7()
    {
        // L_head ≤ σ(W_V)(√n + n R² σ(M)/√d_k) when κ = 0 and every ratio ρ is at its worst case 1.
        var layer = new MultiHeadSelfAttention("attn", Shape.Tokens(5, 8), Shape.Tokens(5, 8), 8, 2);
        Expr r = Expr.Sym("R");
        Expr head = AttentionRule.HeadFactor(layer, 0, r).Substitute(new Dictionary<string, Expr>
        {
            ["kappa_attn[0]"] = Expr.Zero, ["rhoP_attn[0]"] = Expr.One, ["rhoV_attn[0]"] = Expr.One, ["rhoX_attn"] = Expr.One,
        });
        Expr sigmaV = Expr.Sym("sigmaV_attn[0]");
        Expr sigmaM = Expr.Sym("sigmaQK_attn[0]");
        Expr expected = sigmaV * (Expr.Sqrt(5) + Expr.Mul(5, Expr.Pow(r, 2), sigmaM) / Expr.Sqrt(4));
        Assert.Equal(expected, head);
    }
}

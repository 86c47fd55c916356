using FimBounds.Core.Bounds;
using TorchSharp;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Bounds;

/// <summary>c_p bounds λ_max(diag(p) − ppᵀ), the softmax factor of F = Jᵀ A(p) J.</summary>
public class SoftmaxFactorTests
{
    [Fact]
    public void Confidence_aware_factor_bounds_the_softmax_jacobian_spectrum()
    {
        using var scope = NewDisposeScope();
        Seed(40);
        foreach (int classes in new[] { 2, 3, 10, 100 })
        {
            for (int trial = 0; trial < 50; trial++)
            {
                // Logits from peaked to flat, so p_max covers (1/K, 1).
                Tensor p = softmax(randn(classes, dtype: float64) * (0.1 + trial * 0.4), 0);
                Tensor a = diag(p) - outer(p, p);
                double lambda = linalg.eigvalsh(a).max().item<double>();
                double pMax = p.max().item<double>();
                AssertBounded(lambda, SoftmaxFactor.ConfidenceAware(pMax), $"K = {classes}, p_max = {pMax}");
                AssertBounded(lambda, 0.5, "global ½");
            }
        }
    }

    [Fact]
    public void Confidence_aware_factor_is_a_half_until_p_max_reaches_three_quarters()
    {
        Assert.Equal(0.5, SoftmaxFactor.ConfidenceAware(0.6));
        Assert.Equal(0.5, SoftmaxFactor.ConfidenceAware(0.75));
        Assert.Equal(0.2, SoftmaxFactor.ConfidenceAware(0.9), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxFactor.ConfidenceAware(1.5));
    }
}

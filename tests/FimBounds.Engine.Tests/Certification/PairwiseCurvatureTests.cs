using FimBounds.Engine.Certification;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// The pairwise curvature bound B dominates A(p') = diag(p') − p'p'ᵀ for every probability vector p' below its
/// upper bounds (the smallest eigenvalue of B − A(p') is ≥ 0 up to rounding), and equals A(p) when the upper
/// bounds are p itself (the ε → 0 limit).
/// </summary>
public sealed class PairwiseCurvatureTests
{
    [Theory]
    [InlineData(3, 0.0)]
    [InlineData(10, 0.5)]
    [InlineData(10, 4.0)]
    public void It_dominates_the_curvature_at_every_probability_vector_below_its_upper_bounds(int classes, double spread)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        for (int trial = 0; trial < 20; trial++)
        {
            // Logits whose differences move by at most `spread` from a centre: p' at random points of that box.
            Tensor centre = randn(classes, dtype: float64, generator: generator).Times(3);
            Tensor lowerDifferences = centre.unsqueeze(1).Minus(centre.unsqueeze(0)).Plus(-spread);
            Tensor upperP = lowerDifferences.logsumexp(0).neg().exp();
            Tensor b = PairwiseCurvature.UpperBound(upperP);
            for (int point = 0; point < 10; point++)
            {
                Tensor moved = centre.Plus(rand(classes, dtype: float64, generator: generator).Plus(-0.5).Times(spread));
                Tensor p = moved.softmax(0);
                Assert.True(p.le(upperP.Times(1 + 1e-12)).all().item<bool>(), "the probability vector left its upper bounds");
                Tensor gap = b.Minus(diag(p).Minus(p.unsqueeze(1).mul(p.unsqueeze(0))));
                double smallest = linalg.eigvalsh(gap).min().item<double>();
                Assert.True(smallest >= -1e-12, $"trial {trial}: B − A(p') has eigenvalue {smallest}");
            }
        }
    }

    [Fact]
    public void With_the_probabilities_themselves_as_upper_bounds_it_is_the_curvature()
    {
        using var scope = NewDisposeScope();
        Tensor p = tensor(new[] { 0.5, 0.3, 0.15, 0.05 }, float64);
        Tensor curvature = diag(p).Minus(p.unsqueeze(1).mul(p.unsqueeze(0)));
        double difference = PairwiseCurvature.UpperBound(p).Minus(curvature).abs().max().item<double>();
        Assert.True(difference < 1e-15, $"B differs from A(p) by {difference}");
        (Tensor root, double largest) = PairwiseCurvature.Root(curvature);
        Assert.True(root.matmul(root).Minus(curvature).abs().max().item<double>() < 1e-12);
        Assert.Equal(linalg.eigvalsh(curvature).max().item<double>(), largest, 12);
    }
}

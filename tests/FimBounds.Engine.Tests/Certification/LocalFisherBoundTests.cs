using FimBounds.Torch;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// Λ(x, ε) bounds λ_max(F(x')) over the whole ball — checked at random points and at the best points of
/// an ascent on λ_max itself (measured exactly, float64, by the engine's estimator) — and shrinks to
/// the exact λ_max(x) as the ball does.
/// </summary>
public sealed class LocalFisherBoundTests
{
    public static TheoryData<string, PerturbationNorm, double> Cases => new()
    {
        { "every-layer", PerturbationNorm.Linf, 0.01 },
        { "residual", PerturbationNorm.Linf, 0.02 },
        { "residual", PerturbationNorm.L2, 0.1 },
        { "dense", PerturbationNorm.Linf, 0.02 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_point_of_the_ball_has_a_larger_lambda_max(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 8);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(9, new long[] { 3 }.Concat(shape).ToArray());
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            Tensor centre = inputs[b].unsqueeze(0);
            foreach (CertificationMethod method in new[] { CertificationMethod.Ibp, CertificationMethod.Crown })
            {
                LocalFisherBound fisher = certifier.Bound(centre, norm, epsilon, method).Fisher;
                double largest = LargestLambdaFound(model, centre, norm, epsilon, seed: b);
                Assert.True(largest <= fisher.Value, $"input {b}, {method}: λ_max reached {largest} in the ball, above Λ = {fisher.Value}");
                // The mask expansion on its own, so a looser interval bound cannot hide a flaw in it.
                Assert.True(fisher.MaskExpansionValue is { } expanded && largest <= expanded,
                    $"input {b}, {method}: λ_max reached {largest} in the ball, above the mask expansion's {fisher.MaskExpansionValue}");
                Assert.True(fisher.PairwiseExpansionValue is { } paired && largest <= paired,
                    $"input {b}, {method}: λ_max reached {largest} in the ball, above the pairwise form's {fisher.PairwiseExpansionValue}");
            }
        }
    }

    [Theory]
    [InlineData("every-layer")]
    [InlineData("residual")]
    [InlineData("dense")]
    public void A_tiny_ball_gives_the_exact_lambda_max_within_one_percent(string net)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 10);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(11, new long[] { 4 }.Concat(shape).ToArray());
        double[] exact = LambdaMax(model, inputs);
        int compared = 0;
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            LocalFisherBound fisher = certifier.Bound(inputs[b].unsqueeze(0), PerturbationNorm.Linf, 1e-6, CertificationMethod.Crown).Fisher;
            Assert.True(fisher.Value >= exact[b], $"input {b}: Λ = {fisher.Value} below λ_max = {exact[b]}");
            if (fisher.JacobianRadiusNorm <= 1e-3 * fisher.JacobianCentreNorm)   // no unstable ReLU at this input
            {
                compared++;
                Assert.True(fisher.Value <= 1.01 * exact[b], $"input {b}: Λ(x, 1e-6) = {fisher.Value} is more than 1 % above λ_max = {exact[b]}");
            }
        }
        Assert.True(compared >= 3, $"only {compared} of 4 inputs had no unstable ReLU at ε = 1e-6");
    }

    /// <summary>The largest λ_max at the centre, at random points, and along a greedy ascent of λ_max by sampling around the best point.</summary>
    internal static double LargestLambdaFound(nn.Module<Tensor, Tensor> model, Tensor centre, PerturbationNorm norm, double epsilon, int seed)
    {
        Tensor candidates = cat(new[] { centre, BallSearch.Sample(centre, norm, epsilon, 63, seed) }, 0);
        double[] values = LambdaMax(model, candidates);
        int bestIndex = Array.IndexOf(values, values.Max());
        Tensor best = candidates[bestIndex].unsqueeze(0);
        double largest = values.Max();
        // Gradient ascents of λ_max itself from the two best points.
        int[] top = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).Take(2).ToArray();
        Tensor starts = candidates.index_select(0, tensor(top.Select(i => (long)i).ToArray()));
        largest = Math.Max(largest, LambdaMax(model, FisherAscent.Ascend(model, centre, starts, norm, epsilon, 12)).Max());
        for (int round = 0; round < 4; round++)
        {
            // Points near the best one (a quarter radius away), projected back into the ball.
            Tensor steps = BallSearch.Sample(best, norm, epsilon / 4, 31, seed * 101 + round);
            Tensor projected = Clip(steps, centre, norm, epsilon);
            double[] around = LambdaMax(model, projected);
            if (around.Max() > largest)
            {
                largest = around.Max();
                best = projected[Array.IndexOf(around, around.Max())].unsqueeze(0);
            }
        }
        return largest;
    }

    private static Tensor Clip(Tensor points, Tensor centre, PerturbationNorm norm, double epsilon)
    {
        Tensor delta = points.Minus(centre);
        if (norm == PerturbationNorm.Linf)
        {
            return centre.Plus(delta.ClampBelow(-epsilon).ClampAbove(epsilon)).ClampBelow(0).ClampAbove(1);
        }
        Tensor length = delta.flatten(1).norm(1, keepdim: true).reshape(-1, 1, 1, 1);
        return centre.Plus(delta.mul(length.ClampBelow(epsilon).reciprocal().Times(epsilon))).ClampBelow(0).ClampAbove(1);
    }

    private static double[] LambdaMax(nn.Module<Tensor, Tensor> model, Tensor inputs) =>
        FimMeasurer.Measure(model, inputs, FimMethod.Exact, new FimOptions { Precision = float64 }).Samples
            .Select(s => s.LambdaMax ?? double.NaN).ToArray();
}

using FimBounds.Torch;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// α-CROWN's soundness does not rest on its optimiser: any lower slopes in [a, 1] give bounds that hold at every
/// point found in the ball (random, extreme, and the optimised ones); the optimised bounds are never looser than
/// CROWN's (its starting point); a certified input is never flipped; and the optimisation gains something.
/// </summary>
public sealed class AlphaCrownTests
{
    public static TheoryData<string, PerturbationNorm, double> Cases => CertificateSoundnessTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Any_slopes_in_range_give_bounds_that_hold_in_the_ball(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 21);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(22, new long[] { 1 }.Concat(shape).ToArray());
        double[,] found = CertificateSoundnessTests.SmallestDifferencesFound(model, centre, norm, epsilon, Predicted(model, centre), seed: 23);
        var settings = new (string Name, Func<Tensor, double, Tensor> Slopes)[]
        {
            ("every slope at its floor", (alpha, floor) => alpha.FilledLike(floor)),
            ("every slope 1", (alpha, _) => alpha.FilledLike(1)),
            ("random slopes", (alpha, floor) => rand_like(alpha).Times(1 - floor).Plus(floor)),
            ("random slopes, another draw", (alpha, floor) => rand_like(alpha).Times(1 - floor).Plus(floor)),
        };
        TestTensors.Seed(24);
        foreach ((string name, Func<Tensor, double, Tensor> slopes) in settings)
        {
            double[] bounds = TestTensors.Data(certifier.BackwardBoundsWithSlopes(centre, norm, epsilon, slopes));
            long classes = found.GetLength(0);
            for (int i = 0; i < classes; i++)
            {
                for (int j = 0; j < classes; j++)
                {
                    Assert.True(bounds[i * classes + j] <= found[i, j] + 1e-9,
                        $"{name}: z{i} − z{j} reached {found[i, j]} in the ball, below the bound {bounds[i * classes + j]}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Optimised_bounds_hold_and_are_never_looser_than_crown(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 3);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(4, new long[] { 3 }.Concat(shape).ToArray());
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            Tensor centre = inputs[b].unsqueeze(0);
            BallBounds crown = certifier.Bound(centre, norm, epsilon, CertificationMethod.Crown);
            BallBounds alpha = certifier.Bound(centre, norm, epsilon, CertificationMethod.AlphaCrown);
            double[,] found = CertificateSoundnessTests.SmallestDifferencesFound(model, centre, norm, epsilon, crown.Predicted, seed: b);
            long classes = crown.LogitLower.Length;
            for (int i = 0; i < classes; i++)
            {
                for (int j = 0; j < classes; j++)
                {
                    Assert.True(crown.DifferenceLowerBounds[i, j] <= alpha.DifferenceLowerBounds[i, j] + 1e-12,
                        $"input {b}: α-CROWN's bound on z{i} − z{j} ({alpha.DifferenceLowerBounds[i, j]}) is looser than CROWN's ({crown.DifferenceLowerBounds[i, j]})");
                    Assert.True(alpha.DifferenceLowerBounds[i, j] <= found[i, j] + 1e-9,
                        $"input {b}: z{i} − z{j} reached {found[i, j]} in the ball, below α-CROWN's lower bound {alpha.DifferenceLowerBounds[i, j]}");
                }
            }
            if (alpha.Certified)
            {
                for (int j = 0; j < classes; j++)
                {
                    Assert.True(j == alpha.Predicted || found[alpha.Predicted, j] > 0, $"input {b} is certified by α-CROWN but class {j} was reached");
                }
            }
            // The cheaper check optimises the same margins from the same start: it certifies whatever the full bound does.
            Assert.True(!alpha.Certified || certifier.IsCertified(centre, norm, epsilon, CertificationMethod.AlphaCrown), $"input {b}: IsCertified disagrees with Bound");
        }
    }

    /// <summary>Where many ReLUs are unstable the optimised slopes must raise the bounds: otherwise the optimiser does nothing.</summary>
    [Fact]
    public void Optimising_the_slopes_tightens_the_bounds_where_relus_are_unstable()
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create("residual", 5);
        long[] shape = CertificationNets.InputShape("residual");
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(6, new long[] { 1 }.Concat(shape).ToArray());
        BallBounds crown = certifier.Bound(centre, PerturbationNorm.Linf, 0.05, CertificationMethod.Crown);
        BallBounds alpha = certifier.Bound(centre, PerturbationNorm.Linf, 0.05, CertificationMethod.AlphaCrown);
        double gain = 0;
        foreach (int i in Enumerable.Range(0, crown.LogitLower.Length))
        {
            foreach (int j in Enumerable.Range(0, crown.LogitLower.Length).Where(j => j != i))
            {
                gain += alpha.DifferenceLowerBounds[i, j] - crown.DifferenceLowerBounds[i, j];
            }
        }
        Assert.True(gain > 1e-6, $"α-CROWN raised the off-diagonal bounds by {gain} in total over CROWN's");
    }

    private static int Predicted(nn.Module<Tensor, Tensor> model, Tensor centre)
    {
        using var noGrad = no_grad();
        return (int)model.call(centre).argmax(1).item<long>();
    }
}

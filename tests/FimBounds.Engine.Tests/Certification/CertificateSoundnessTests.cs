using FimBounds.Torch;
using FimBounds.Core.Errors;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using FimBounds.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// Certificates are attacked, never trusted: on small nets of every supported layer kind, in L∞ and L2,
/// every bound on a logit difference holds at random points of the ball and at points projected
/// gradient ascent with restarts drives against it; a certified input is never flipped; IBP's bounds
/// contain CROWN's, which contain every value found.
/// </summary>
public sealed class CertificateSoundnessTests
{
    public static TheoryData<string, PerturbationNorm, double> Cases => new()
    {
        { "every-layer", PerturbationNorm.Linf, 0.004 },
        { "every-layer", PerturbationNorm.Linf, 0.03 },
        { "every-layer", PerturbationNorm.L2, 0.1 },
        { "residual", PerturbationNorm.Linf, 0.01 },
        { "residual", PerturbationNorm.Linf, 0.05 },
        { "residual", PerturbationNorm.L2, 0.2 },
        { "dense", PerturbationNorm.Linf, 0.01 },
        { "dense", PerturbationNorm.L2, 0.2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_point_found_in_the_ball_breaks_a_difference_bound(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 3);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(4, new long[] { 4 }.Concat(shape).ToArray());
        int certified = 0;
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            Tensor centre = inputs[b].unsqueeze(0);
            BallBounds ibp = certifier.Bound(centre, norm, epsilon, CertificationMethod.Ibp);
            BallBounds crown = certifier.Bound(centre, norm, epsilon, CertificationMethod.Crown);
            BallBounds crownIbp = certifier.Bound(centre, norm, epsilon, CertificationMethod.CrownIbp);
            BallBounds crownFull = certifier.Bound(centre, norm, epsilon, CertificationMethod.CrownFull);
            double[,] found = SmallestDifferencesFound(model, centre, norm, epsilon, ibp.Predicted, seed: b);
            long classes = ibp.LogitLower.Length;
            for (int i = 0; i < classes; i++)
            {
                for (int j = 0; j < classes; j++)
                {
                    Assert.True(ibp.DifferenceLowerBounds[i, j] <= crown.DifferenceLowerBounds[i, j] + 1e-12,
                        $"input {b}: CROWN's bound on z{i} − z{j} ({crown.DifferenceLowerBounds[i, j]}) is looser than IBP's ({ibp.DifferenceLowerBounds[i, j]})");
                    Assert.True(ibp.DifferenceLowerBounds[i, j] <= crownIbp.DifferenceLowerBounds[i, j] + 1e-12,
                        $"input {b}: CROWN-IBP's bound on z{i} − z{j} is looser than IBP's");
                    Assert.True(crownIbp.DifferenceLowerBounds[i, j] <= found[i, j] + 1e-9,
                        $"input {b}: z{i} − z{j} reached {found[i, j]} in the ball, below CROWN-IBP's lower bound {crownIbp.DifferenceLowerBounds[i, j]}");
                    Assert.True(ibp.DifferenceLowerBounds[i, j] <= crownFull.DifferenceLowerBounds[i, j] + 1e-12,
                        $"input {b}: full CROWN's bound on z{i} − z{j} is looser than IBP's");
                    Assert.True(crownFull.DifferenceLowerBounds[i, j] <= found[i, j] + 1e-9,
                        $"input {b}: z{i} − z{j} reached {found[i, j]} in the ball, below full CROWN's lower bound {crownFull.DifferenceLowerBounds[i, j]}");
                    Assert.True(crown.DifferenceLowerBounds[i, j] <= found[i, j] + 1e-9,
                        $"input {b}: z{i} − z{j} reached {found[i, j]} in the ball, below CROWN's lower bound {crown.DifferenceLowerBounds[i, j]}");
                }
            }
            foreach (BallBounds certificate in new[] { crown, crownFull }.Where(c => c.Certified))
            {
                certified++;
                for (int j = 0; j < classes; j++)
                {
                    Assert.True(j == certificate.Predicted || found[certificate.Predicted, j] > 0, $"input {b} is certified but class {j} was reached");
                }
            }
        }
        _ = certified;
    }

    /// <summary>
    /// CROWN on its own (its backward pass, without the intersection with IBP the certifier reports) is
    /// sound, and tighter than IBP on average: otherwise the linear relaxation would be doing nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Crown_alone_is_sound_and_tighter_than_ibp_on_average(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 5);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(6, new long[] { 1 }.Concat(shape).ToArray());
        (Tensor crown, Tensor ibp) = certifier.RawDifferenceBounds(centre, norm, epsilon);
        double[,] found = SmallestDifferencesFound(model, centre, norm, epsilon, 0, seed: 7);
        double[] crownValues = crown.data<double>().ToArray();
        double[] ibpValues = ibp.data<double>().ToArray();
        long classes = crown.shape[0];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                Assert.True(crownValues[i * classes + j] <= found[i, j] + 1e-9,
                    $"z{i} − z{j} reached {found[i, j]}, below CROWN's {crownValues[i * classes + j]}");
            }
        }
        Assert.True(crownValues.Average() > ibpValues.Average(), $"CROWN's mean bound {crownValues.Average()} is not above IBP's {ibpValues.Average()}");
    }

    [Fact]
    public void Attention_layers_are_refused_in_one_line()
    {
        TestTensors.Seed(1);
        nn.Module<Tensor, Tensor> vit = ZooCatalog.Find("vit-mini").CreateModel();
        vit.eval();
        var error = Assert.Throws<UsageException>(() => Certifier.For(vit, new long[] { 1, 28, 28 }));
        Assert.StartsWith("not supported for certification: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        var gelu = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(4, 4)), ("gelu", nn.GELU()));
        Assert.StartsWith("not supported for certification: GELU", Assert.Throws<UsageException>(() => Certifier.For(gelu, new long[] { 1, 2, 2 })).Message);
    }

    /// <summary>[i, j]: the smallest z_i − z_j seen at random points and at gradient-ascent points against each pair with i = predicted or j = predicted.</summary>
    internal static double[,] SmallestDifferencesFound(nn.Module<Tensor, Tensor> model, Tensor centre, PerturbationNorm norm, double epsilon, int predicted, int seed)
    {
        using var scope = NewDisposeScope();
        var points = new List<Tensor> { centre, BallSearch.Sample(centre, norm, epsilon, 256, seed) };
        long classes;
        using (no_grad())
        {
            classes = model.call(centre).shape[1];
        }
        for (int j = 0; j < classes; j++)
        {
            if (j == predicted)
            {
                continue;
            }
            int other = j;
            points.Add(BallSearch.Ascend(model, z => z.select(1, other).Minus(z.select(1, predicted)), centre, norm, epsilon, restarts: 8, steps: 20, seed: seed * 31 + j));
            points.Add(BallSearch.Ascend(model, z => z.select(1, predicted).Minus(z.select(1, other)), centre, norm, epsilon, restarts: 4, steps: 20, seed: seed * 37 + j));
        }
        Tensor logits;
        using (no_grad())
        {
            logits = model.call(cat(points, 0));
        }
        Tensor differences = logits.unsqueeze(2).Minus(logits.unsqueeze(1)).amin(0);
        double[] flat = differences.data<double>().ToArray();
        var result = new double[classes, classes];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                result[i, j] = flat[i * classes + j];
            }
        }
        return result;
    }
}

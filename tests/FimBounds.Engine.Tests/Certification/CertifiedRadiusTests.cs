using FimBounds.Torch;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// A certified radius never exceeds the smallest ε at which PGD (restarts, sign steps) flips the
/// prediction, and the input is certified at the radius it reports.
/// </summary>
public sealed class CertifiedRadiusTests
{
    [Theory]
    [InlineData("every-layer", PerturbationNorm.Linf)]
    [InlineData("residual", PerturbationNorm.Linf)]
    [InlineData("residual", PerturbationNorm.L2)]
    [InlineData("dense", PerturbationNorm.Linf)]
    public void The_certified_radius_stays_below_the_pgd_minimal_epsilon(string net, PerturbationNorm norm)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 12);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(13, new long[] { 3 }.Concat(shape).ToArray());
        var search = new RadiusSearch(norm == PerturbationNorm.Linf ? 0.25 : 4.0, norm == PerturbationNorm.Linf ? 1e-3 : 1e-2);
        int positive = 0;
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            Tensor centre = inputs[b].unsqueeze(0);
            double minimal = PgdMinimalEpsilon(model, centre, norm, search.Maximum, seed: b);
            foreach (CertificationMethod method in new[] { CertificationMethod.Ibp, CertificationMethod.CrownIbp, CertificationMethod.Crown, CertificationMethod.AlphaCrown })
            {
                double radius = certifier.CertifiedRadius(centre, norm, method, search);
                if (radius > 0)
                {
                    positive++;
                    Assert.True(certifier.IsCertified(centre, norm, radius, method), $"input {b}: not certified at its own radius {radius}");
                    Assert.All(certifier.MarginLowerBounds(centre, norm, radius, method), m => Assert.True(m > 0, $"input {b}: a margin bound {m} ≤ 0 at the certified radius"));
                }
                Assert.True(radius <= minimal, $"input {b}, {method}: certified radius {radius} exceeds the PGD minimal ε {minimal}");
                // The bisection started from a bracket a caller already checked (rank's fixed radii) lands on a certified radius too.
                double lower = radius > 0 && certifier.IsCertified(centre, norm, radius / 2, method) ? radius / 2 : 0;
                double bracketed = certifier.CertifiedRadius(centre, norm, method, search, certifiedAt: lower, failedAt: Math.Min(search.Maximum, radius * 2 + search.Tolerance));
                Assert.True(bracketed <= minimal, $"input {b}, {method}: bracketed radius {bracketed} exceeds the PGD minimal ε {minimal}");
                Assert.True(bracketed == 0 || certifier.IsCertified(centre, norm, bracketed, method), $"input {b}: not certified at its bracketed radius {bracketed}");
            }
        }
        Assert.True(positive > 0, "no input had a positive certified radius: the test would prove nothing");
    }

    /// <summary>The smallest ε (bisection, 10 halvings) at which PGD reaches another class; the maximum when it never does.</summary>
    private static double PgdMinimalEpsilon(nn.Module<Tensor, Tensor> model, Tensor centre, PerturbationNorm norm, double maximum, int seed)
    {
        int predicted;
        using (no_grad())
        {
            predicted = (int)model.call(centre).argmax(1).item<long>();
        }
        bool Flips(double epsilon)
        {
            using var scope = NewDisposeScope();
            Tensor best = BallSearch.Ascend(model, z => OtherClassLead(z, predicted), centre, norm, epsilon, restarts: 6, steps: 20, seed: seed);
            using var noGrad = no_grad();
            return OtherClassLead(model.call(best), predicted).max().item<double>() > 0;
        }
        double low = 0;
        double high = maximum;
        if (!Flips(high))
        {
            return maximum;
        }
        for (int i = 0; i < 10; i++)
        {
            double middle = (low + high) / 2;
            if (Flips(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }
        return high;
    }

    /// <summary>max_{j ≠ c} z_j − z_c per row.</summary>
    private static Tensor OtherClassLead(Tensor logits, int predicted)
    {
        Tensor mask = zeros_like(logits);
        mask[.., predicted] = TensorMath.Filled(new long[] { 1 }, double.NegativeInfinity, logits.dtype);
        return logits.Plus(mask).amax(1).Minus(logits.select(1, predicted));
    }
}

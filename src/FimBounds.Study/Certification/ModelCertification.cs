using FimBounds.Core.Errors;
using FimBounds.Engine.Certification;
using FimBounds.Reports.Model;
using FimBounds.Training.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Study.Certification;

/// <summary>How rank/demo certify each model: which inputs, which method, which radii.</summary>
/// <param name="Samples">The first N measured inputs (0 skips certification).</param>
/// <param name="Method">CROWN (tight, tens of exact-FIM costs per ε), CROWN-IBP or IBP (a few).</param>
/// <param name="Epsilons">L∞ radii of the certified-accuracy columns, ascending; the first is also the local FIM bound's ball.</param>
/// <param name="Search">The radius bisection (its maximum is the minimal-ε search's, so the two compare).</param>
/// <param name="BallPoints">Points of each ball where the exact λ_max is measured against Λ.</param>
public sealed record CertificationPlan(int Samples, CertificationMethod Method, IReadOnlyList<double> Epsilons, RadiusSearch Search, int BallPoints, long Seed);

/// <summary>
/// The certification stage of rank/demo for one model: per input, the bounds over the first (smallest) ball
/// — certified or not, and Λ beside the largest λ_max found in it — then certification at the larger radii
/// (skipped once one fails: "not certified" is always sound), and the certified radius by bisection inside
/// the bracket those checks leave. Models with layers certification does not cover get a block that says so.
/// </summary>
public static class ModelCertification
{
    public static CertificationMeasurement Run(
        nn.Module<Tensor, Tensor> model, long[] inputShape, Tensor images, long[] labels, IReadOnlyList<MinimalEpsilonOutcome> minimal,
        CertificationPlan plan, CancellationToken cancellation)
    {
        string method = plan.Method.Name();
        Certifier certifier;
        try
        {
            certifier = Certifier.For(model, inputShape);
        }
        catch (UsageException unsupported)
        {
            return Measurement(plan, method, [], unsupported.Message.Split(';')[0]);
        }
        using var owned = certifier;
        int count = (int)Math.Min(plan.Samples, images.shape[0]);
        var inputs = new List<CertifiedInput>(count);
        for (int i = 0; i < count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            Tensor x = images[i].to(ScalarType.Float64);
            BallBounds ball = certifier.Bound(x, PerturbationNorm.Linf, plan.Epsilons[0], plan.Method);
            bool correct = ball.Predicted == labels[i];
            var certifiedAt = new bool[plan.Epsilons.Count];
            certifiedAt[0] = correct && ball.Certified;
            for (int e = 1; e < plan.Epsilons.Count && certifiedAt[e - 1]; e++)
            {
                certifiedAt[e] = certifier.IsCertified(x, PerturbationNorm.Linf, plan.Epsilons[e], plan.Method);
            }
            double radius = correct ? Radius(certifier, x, plan, certifiedAt) : 0;
            double found = FisherInBall.LargestFound(model, x, PerturbationNorm.Linf, plan.Epsilons[0], plan.BallPoints, plan.Seed + i);
            MinimalEpsilonOutcome? attack = i < minimal.Count ? minimal[i] : null;
            inputs.Add(new CertifiedInput(i, correct, certifiedAt, radius, attack?.Epsilon, ball.Fisher.Value, found));
        }
        return Measurement(plan, method, inputs, null);
    }

    /// <summary>The bisection inside the bracket the fixed radii left: the largest certified one, the first that failed.</summary>
    private static double Radius(Certifier certifier, Tensor x, CertificationPlan plan, bool[] certifiedAt)
    {
        int passed = Array.LastIndexOf(certifiedAt, true);
        double certified = passed < 0 ? 0 : plan.Epsilons[passed];
        double? failed = passed + 1 < plan.Epsilons.Count ? plan.Epsilons[passed + 1] : null;
        return certifier.CertifiedRadius(x, PerturbationNorm.Linf, plan.Method, plan.Search, certified, failed);
    }

    private static CertificationMeasurement Measurement(CertificationPlan plan, string method, IReadOnlyList<CertifiedInput> inputs, string? unsupported) => new()
    {
        Method = method,
        Norm = "linf",
        Epsilons = plan.Epsilons,
        LocalEpsilon = plan.Epsilons[0],
        RadiusTolerance = plan.Search.Tolerance,
        Inputs = inputs,
        Unsupported = unsupported,
    };
}

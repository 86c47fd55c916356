using System.Diagnostics;
using FimBounds.Core.Errors;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Measurement;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Benchmarks;

/// <summary>What certification costs at one L∞ ε, per input, against the exact FIM of the same inputs in the same run.</summary>
/// <param name="IbpOverExact">IBP's margins over the ball / the exact λ_max (float64, batched), per input.</param>
/// <param name="CrownOverExact">CROWN's margins (forward linear bounds for every nonlinear layer's input, then the backward pass) / the exact λ_max.</param>
/// <param name="CrownIbpOverExact">CROWN's backward pass over IBP's intermediate bounds / the exact λ_max (no target: the demo's method).</param>
/// <param name="IbpCertified">Inputs whose every margin IBP proved positive.</param>
/// <param name="AlphaCrownOverExact">α-CROWN (CROWN's intermediate bounds, the last pass's ReLU slopes optimised per margin; stops once certified) / the exact λ_max.</param>
public sealed record CertificationCost(
    double Epsilon, double IbpMsPerInput, double CrownIbpMsPerInput, double CrownMsPerInput, double IbpOverExact, double CrownIbpOverExact, double CrownOverExact,
    int IbpCertified, int CrownIbpCertified, int CrownCertified, bool IbpTargetMet, bool CrownTargetMet,
    double AlphaCrownMsPerInput, double AlphaCrownOverExact, int AlphaCrownCertified);

/// <summary>
/// One model's certification costs; <see cref="Unsupported"/> names the layer when the model cannot be certified.
/// <paramref name="LinearInputs"/>: the inputs CROWN and α-CROWN were timed (and their certified counts taken) on.
/// </summary>
public sealed record CertificationBench(string Spec, int Inputs, double ExactMsPerInput, IReadOnlyList<CertificationCost> PerEpsilon, string? Unsupported,
    int LinearInputs = 0);

/// <summary>
/// Certification's cost as ratios to the exact FIM (issue 15's targets: IBP ≤ 5×, CROWN ≤ 500× per ε on
/// the mini CNNs). Both sides run in float64 (certification's precision) on the same inputs, interleaved
/// round by round so load on a shared machine hits both alike; the median of the rounds is reported. CROWN and α-CROWN
/// cost seconds per input (forward linear bounds with one row per input pixel) and vary little between inputs: they
/// are timed on the first <see cref="LinearInputs"/> inputs in the first round only, which keeps bench's certification
/// block to minutes (8 inputs × 3 rounds of them took over an hour on densenet-mini alone).
/// </summary>
public static class CertificationBenchmark
{
    public const double IbpTarget = 5;
    public const double CrownTarget = 500;

    /// <summary>Inputs CROWN and α-CROWN are timed on.</summary>
    public const int LinearInputs = 2;

    public static CertificationBench Run(string spec, nn.Module<Tensor, Tensor> model, Tensor inputs, IReadOnlyList<double> epsilons, int rounds,
        long seed, IProgress<string>? progress = null)
    {
        using var scope = NewDisposeScope();
        model.eval();
        int n = (int)inputs.shape[0];
        long[] inputShape = inputs.shape.Skip(1).ToArray();
        Certifier certifier;
        try
        {
            certifier = Certifier.For(model, inputShape);
        }
        catch (UsageException unsupported)
        {
            return new CertificationBench(spec, n, double.NaN, [], unsupported.Message.Split(';')[0]);
        }
        using var owned = certifier;
        Tensor precise = inputs.to(ScalarType.Float64);
        int linearCount = Math.Min(n, LinearInputs);
        Tensor linear = precise.narrow(0, 0, linearCount);
        var fimOptions = new FimOptions { Seed = seed, MaxBatchSize = n, Precision = ScalarType.Float64 };
        FimMeasurer.Measure(model, precise, FimMethod.Exact, fimOptions);   // warm-up
        var exact = new List<double>();
        var ibp = epsilons.Select(_ => new List<double>()).ToArray();
        var crownIbp = epsilons.Select(_ => new List<double>()).ToArray();
        var crown = epsilons.Select(_ => new List<double>()).ToArray();
        var alphaCrown = epsilons.Select(_ => new List<double>()).ToArray();
        var ibpCertified = new int[epsilons.Count];
        var crownIbpCertified = new int[epsilons.Count];
        var crownCertified = new int[epsilons.Count];
        var alphaCrownCertified = new int[epsilons.Count];
        for (int round = 0; round < rounds; round++)
        {
            progress?.Report($"{spec}: certification timing round {round + 1}/{rounds}");
            exact.Add(Time(() => FimMeasurer.Measure(model, precise, FimMethod.Exact, fimOptions)) / n);
            for (int e = 0; e < epsilons.Count; e++)
            {
                int certifiedByIbp = 0, certifiedByCrownIbp = 0, certifiedByCrown = 0, certifiedByAlphaCrown = 0;
                ibp[e].Add(Time(() => certifiedByIbp = Certified(certifier, precise, epsilons[e], CertificationMethod.Ibp)) / n);
                crownIbp[e].Add(Time(() => certifiedByCrownIbp = Certified(certifier, precise, epsilons[e], CertificationMethod.CrownIbp)) / n);
                ibpCertified[e] = certifiedByIbp;
                crownIbpCertified[e] = certifiedByCrownIbp;
                if (round > 0)
                {
                    continue;
                }
                crown[e].Add(Time(() => certifiedByCrown = Certified(certifier, linear, epsilons[e], CertificationMethod.Crown)) / linearCount);
                alphaCrown[e].Add(Time(() => certifiedByAlphaCrown = Certified(certifier, linear, epsilons[e], CertificationMethod.AlphaCrown)) / linearCount);
                crownCertified[e] = certifiedByCrown;
                alphaCrownCertified[e] = certifiedByAlphaCrown;
            }
        }
        double exactMs = Median(exact);
        var costs = epsilons.Select((eps, e) =>
        {
            double i = Median(ibp[e]), ci = Median(crownIbp[e]), c = Median(crown[e]), a = Median(alphaCrown[e]);
            return new CertificationCost(eps, i, ci, c, i / exactMs, ci / exactMs, c / exactMs, ibpCertified[e], crownIbpCertified[e], crownCertified[e],
                i / exactMs <= IbpTarget, c / exactMs <= CrownTarget, a, a / exactMs, alphaCrownCertified[e]);
        }).ToList();
        return new CertificationBench(spec, n, exactMs, costs, null, linearCount);
    }

    private static int Certified(Certifier certifier, Tensor inputs, double epsilon, CertificationMethod method)
    {
        int certified = 0;
        for (int i = 0; i < inputs.shape[0]; i++)
        {
            using var scope = NewDisposeScope();
            if (certifier.MarginLowerBounds(inputs[i], PerturbationNorm.Linf, epsilon, method).All(m => m > 0))
            {
                certified++;
            }
        }
        return certified;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => Core.Statistics.Quantile.OfSorted(values.Order().ToArray(), 0.5);
}

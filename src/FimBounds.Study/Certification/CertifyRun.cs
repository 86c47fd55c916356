using System.Diagnostics;
using FimBounds.Data;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Training.Attacks;
using FimBounds.Zoo;
using TorchSharp;
using static FimBounds.Reports.Statistics.Descriptive;
using static TorchSharp.torch;

namespace FimBounds.Study.Certification;

/// <summary>Progress of a certify run: inputs done of the total.</summary>
public readonly record struct CertifyProgress(int Done, int Total, int Certified);

/// <summary>
/// `certify`'s workflow on the first N test images: the PGD-L∞ minimal ε of each (the attack side of the
/// sandwich), the exact λ_max at each, then per input the bounds over its ε-ball by IBP and CROWN (both
/// timed, for the cost ratios; the chosen method's are reported), the largest λ_max found in the ball,
/// and with --radius the certified radius. Soundness is checked as it goes: a radius above the PGD
/// minimal ε or a λ_max found above Λ is counted as a violation (the command then exits 1).
/// </summary>
public static class CertifyRun
{
    public static CertifyReport Execute(CertifySettings settings, IProgress<CertifyProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        IModelSpec spec = new SpecCatalog(ZooCatalog.All, settings.SpecAssembly).Find(settings.Spec);
        // The CLI's parser accepts only these names (the command's option rules); anything else is a caller's bug.
        PerturbationNorm norm = settings.Norm switch
        {
            "linf" => PerturbationNorm.Linf,
            "l2" => PerturbationNorm.L2,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Norm, "norm must be linf or l2"),
        };
        CertificationMethod method = CertificationMethods.Parse(settings.Method);
        double epsilon = settings.EffectiveEpsilon;
        RadiusSearch search = RadiusSearch.For(norm);

        LoadedData loaded = DatasetLoader.Load(settings.Data);
        int count = Math.Min(settings.Samples, loaded.Test.Count);
        var (model, _) = Checkpoint.Load(settings.Checkpoint, spec);
        using var modelLifetime = model;
        model.eval();
        long[] inputShape = spec.Description.Input.Dims.Select(d => (long)d).ToArray();
        using Certifier certifier = Certifier.For(model, inputShape);

        // The attack side, on the float32 model as trained (L∞ only: the search is PGD-L∞).
        IReadOnlyList<MinimalEpsilonOutcome>? minimal = norm == PerturbationNorm.Linf
            ? MinimalEpsilon.Search(model, loaded.Test, new MinimalEpsilonOptions { Seed = settings.Seed, MaxEpsilon = search.Maximum }, count,
                cancellationToken: cancellation).Inputs
            : null;

        model.to(float64);
        using var scope = NewDisposeScope();
        (Tensor images, Tensor labelTensor) = loaded.Test.Batch(0, count, ScalarType.Float64);
        long[] labels = labelTensor.data<long>().ToArray();
        var exactClock = Stopwatch.StartNew();
        FimMeasurement exact = FimMeasurer.Measure(model, images, FimMethod.Exact, new FimOptions { Precision = float64, Seed = settings.Seed });
        double exactSeconds = exactClock.Elapsed.TotalSeconds / count;

        var rows = new List<CertifyReport.SampleRow>(count);
        double ibpSeconds = 0, crownSeconds = 0;
        for (int i = 0; i < count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var inputScope = NewDisposeScope();
            Tensor x = images[i];
            var timer = Stopwatch.StartNew();
            BallBounds ibp = certifier.Bound(x, norm, epsilon, CertificationMethod.Ibp);
            ibpSeconds += timer.Elapsed.TotalSeconds;
            timer.Restart();
            BallBounds crown = certifier.Bound(x, norm, epsilon, CertificationMethod.Crown);
            crownSeconds += timer.Elapsed.TotalSeconds;
            BallBounds chosen = method switch
            {
                CertificationMethod.Ibp => ibp,
                CertificationMethod.Crown => crown,
                _ => certifier.Bound(x, norm, epsilon, method),
            };

            bool correct = chosen.Predicted == labels[i];
            double? radius = settings.Radius ? (correct ? certifier.CertifiedRadius(x, norm, method, search) : 0) : null;
            double largest = FisherInBall.LargestFound(model, x, norm, epsilon, settings.BallPoints, settings.Seed + i);
            double? pgd = minimal?[i].CleanCorrect == true ? minimal[i].Epsilon : null;
            double? ratio = radius is { } r && pgd is { } p && p > 0 && double.IsFinite(p) ? r / p : null;
            rows.Add(new CertifyReport.SampleRow(
                i, (int)labels[i], chosen.Predicted, correct && chosen.Certified, radius, chosen.Fisher.Value,
                exact.Samples[i].LambdaMax ?? double.NaN, largest, chosen.Fisher.Value / largest, pgd, ratio,
                chosen.Fisher.JacobianCentreNorm, chosen.Fisher.JacobianRadiusNorm));
            progress?.Report(new CertifyProgress(i + 1, count, rows.Count(row => row.Certified)));
        }

        return new CertifyReport(
            spec.Name, settings.Checkpoint, settings.Norm, settings.Method, epsilon,
            $"the first {count} test images of {loaded.Source}",
            settings.Radius ? new CertifyReport.RadiusSearchRow(search.Maximum, search.Tolerance) : null,
            rows, Summarise(rows, minimal, exactSeconds, ibpSeconds / count, crownSeconds / count), clock.Elapsed.TotalSeconds);
    }

    private static CertifyReport.SummaryRow Summarise(
        IReadOnlyList<CertifyReport.SampleRow> rows, IReadOnlyList<MinimalEpsilonOutcome>? minimal,
        double exactSeconds, double ibpSeconds, double crownSeconds)
    {
        double? medianPgd = minimal is null ? null : MedianOrNull(minimal.Where(m => m.CleanCorrect).Select(m => m.Epsilon));
        double? medianRadius = rows.All(r => r.Radius is not null) ? MedianOrNull(rows.Select(r => r.Radius!.Value)) : null;
        double[] ratios = rows.Where(r => r.RadiusRatio is not null).Select(r => r.RadiusRatio!.Value).ToArray();
        return new CertifyReport.SummaryRow(
            CertifiedAccuracy: rows.Count(r => r.Certified) / (double)rows.Count,
            MedianRadius: medianRadius,
            PgdMedianMinimalEpsilon: medianPgd,
            MedianRadiusRatio: ratios.Length == 0 ? null : MedianOrNull(ratios),
            CleanAccuracy: rows.Count(r => r.Predicted == r.Label) / (double)rows.Count,
            MedianLocalFimTightness: MedianOrNull(rows.Select(r => r.LocalFimTightness)) ?? double.NaN,
            MedianLocalFimBound: MedianOrNull(rows.Select(r => r.LocalFimBound)) ?? double.NaN,
            MedianLambdaMax: MedianOrNull(rows.Select(r => r.LambdaMax)) ?? double.NaN,
            ExactSecondsPerInput: exactSeconds,
            IbpSecondsPerInput: ibpSeconds,
            CrownSecondsPerInput: crownSeconds,
            IbpCostRatio: ibpSeconds / exactSeconds,
            CrownCostRatio: crownSeconds / exactSeconds,
            RadiusViolations: rows.Count(r => r.Radius is { } radius && r.PgdMinimalEpsilon is { } p && radius > p),
            FisherViolations: rows.Count(r => r.LargestLambdaInBall > r.LocalFimBound),
            RadiusRatioInputs: ratios.Length,
            PgdSurvivors: minimal?.Count(m => m.CleanCorrect && double.IsPositiveInfinity(m.Epsilon)));
    }
}

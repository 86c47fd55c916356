using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Hutchinson's unbiased trace estimator tr F ≈ (1/m) Σ zᵀFz with Rademacher probes z, one JVP each
/// (zᵀFz = (Jz)ᵀA(p)(Jz)). Since F is PSD with rank ≤ K − 1, tr F/(K − 1) ≤ λ_max ≤ tr F: the estimate
/// brackets the metric without estimating it. The bracket is reported as [CiLow, CiHigh].
/// </summary>
internal static class HutchinsonEstimator
{
    public static List<FimSample> Run(MatrixFreeFisher fisher, int firstIndex, FimOptions options, CancellationToken cancellation)
    {
        long batch = fisher.Batch;
        long d = fisher.Dimension;
        int probes = Math.Max(2, options.HutchinsonProbes);
        var generators = Enumerable.Range(0, (int)batch).Select(s => RandomDirections.For(options.Seed, firstIndex + s, stream: 2)).ToArray();
        var sum = new double[batch];
        var sumOfSquares = new double[batch];
        try
        {
            for (int t = 0; t < probes; t++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                Tensor z = cat(generators.Select(g => RandomDirections.Rademacher(1, d, g)).ToArray(), 0);
                double[] q = fisher.QuadraticForm(z).data<double>().ToArray();
                for (int s = 0; s < batch; s++)
                {
                    sum[s] += q[s];
                    sumOfSquares[s] += q[s] * q[s];
                }
            }
        }
        finally
        {
            foreach (Generator generator in generators)
            {
                generator.Dispose();
            }
        }

        using var scope = NewDisposeScope();
        double[] probabilities = fisher.Probabilities.data<double>().ToArray();
        bool[] finiteLogits = isfinite(fisher.Logits).all(1).data<bool>().ToArray();
        double[] curvature = SoftmaxCurvature.LargestEigenvalues(fisher.Probabilities);
        int classes = (int)fisher.Classes;
        var samples = new List<FimSample>();
        for (int s = 0; s < batch; s++)
        {
            double mean = sum[s] / probes;
            double variance = Math.Max(0, (sumOfSquares[s] - probes * mean * mean) / (probes - 1));
            FimSample sample = MatrixFreeSamples.Build(firstIndex + s, probabilities.AsSpan(s * classes, classes).ToArray(), curvature[s],
                finiteLogits[s], lambda: 0, trace: mean, iterations: probes);
            samples.Add(sample.IsFinite
                ? sample with
                {
                    LambdaMax = null,
                    TraceStandardError = Math.Sqrt(variance / probes),
                    CiLow = Math.Max(0, mean) / Math.Max(1, classes - 1),
                    CiHigh = Math.Max(0, mean),
                }
                : sample);
        }
        return samples;
    }
}

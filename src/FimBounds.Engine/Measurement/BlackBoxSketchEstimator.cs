using FimBounds.Core.Statistics;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The consistent black-box estimator: with m random unit directions v_j (orthonormal blocks, see
/// <see cref="RandomDirections.OrthonormalBlocks"/>) and D_kj ≈ g_kᵀv_j from central differences,
/// Ĝ = (d/m)·DDᵀ is an unbiased sketch of QᵀQ, and λ̂ = λ_max(Λ^½ĜΛ^½) → λ_max(F) as m grows.
/// The confidence interval is the basic (reverse-percentile) bootstrap over directions: λ_max is convex,
/// so λ̂ is biased upwards and its bootstrap replicates twice as much; reflecting the replicate quantiles
/// around λ̂ cancels that first-order bias, where the plain percentile interval would sit too high.
/// </summary>
internal static class BlackBoxSketchEstimator
{
    public static List<FimSample> Run(nn.Module<Tensor, Tensor> model, Tensor inputs, int firstIndex, FimOptions options, int perForward,
        CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        long batch = inputs.shape[0];
        long d = inputs.numel() / batch;
        Tensor logP;
        using (no_grad())
        {
            logP = nn.functional.log_softmax(InputJacobian.Logits(model, inputs).to(float64), 1);
        }
        long classes = logP.shape[1];
        int m = options.Directions > 0 ? options.Directions : (int)(20 * classes);
        double h = options.FiniteDifferenceStep > 0 ? options.FiniteDifferenceStep : FiniteDifferences.DefaultStep(inputs.dtype);
        var samples = new List<FimSample>();
        for (int s = 0; s < batch; s++)
        {
            using var inner = NewDisposeScope();
            int index = firstIndex + s;
            Tensor p = logP[s].exp();
            if (!isfinite(logP[s]).all().item<bool>())
            {
                samples.Add(new FimSample { Index = index, Status = SampleStatus.NonFiniteLogits, Problem = "logits contain NaN or Inf" });
                continue;
            }
            using Generator generator = RandomDirections.For(options.Seed, index, stream: 3);
            Tensor directions = RandomDirections.OrthonormalBlocks(m, d, generator);
            Tensor derivatives = FiniteDifferences.DirectionalDerivatives(model, inputs[s], directions, h, perForward, cancellation);
            if (!isfinite(derivatives).all().item<bool>())
            {
                samples.Add(new FimSample { Index = index, Status = SampleStatus.NonFiniteGradients, Problem = "perturbed logits contain NaN or Inf" });
                continue;
            }
            (double lambda, double trace, double low, double high) = Sketch(derivatives, p, d, options, generator);
            double[] probabilities = p.data<double>().ToArray();
            int predicted = Array.IndexOf(probabilities, probabilities.Max());
            samples.Add(new FimSample
            {
                Index = index,
                LambdaMax = lambda,
                Trace = trace,
                CiLow = low,
                CiHigh = high,
                PMax = probabilities[predicted],
                PredictedClass = predicted,
                Probabilities = probabilities,
                ConfidenceFactor = SoftmaxCurvature.ConfidenceFactor(probabilities),
                SoftmaxCurvature = SoftmaxCurvature.LargestEigenvalues(p.unsqueeze(0))[0],
            });
        }
        return samples;
    }

    /// <summary>λ̂, the sketch's trace and the bootstrap interval from D [m, K] and p [K].</summary>
    internal static (double Lambda, double Trace, double Low, double High) Sketch(Tensor derivatives, Tensor p, long d, FimOptions options,
        Generator generator)
    {
        using var scope = NewDisposeScope();
        long m = derivatives.shape[0];
        Tensor sqrtP = p.sqrt();
        Tensor weighted = derivatives * sqrtP.unsqueeze(0);                          // rows D_j ⊙ √p
        Tensor s = weighted.t().matmul(weighted).Times(d / (double)m);                  // Λ^½ĜΛ^½
        double lambda = Math.Max(0, linalg.eigvalsh(s)[-1].item<double>());
        double trace = s.trace().item<double>();

        int resamples = Math.Max(10, options.BootstrapResamples);
        Tensor picks = randint(0, m, new[] { resamples, m }, dtype: int64, generator: generator);
        Tensor resampled = weighted.index_select(0, picks.flatten()).reshape(resamples, m, -1);
        Tensor replicas = bmm(resampled.transpose(1, 2), resampled).Times(d / (double)m);
        double[] replicate = linalg.eigvalsh(replicas).select(1, -1).data<double>().OrderBy(v => v).ToArray();
        double alpha = (1 - options.ConfidenceLevel) / 2;
        double qLow = Quantile.OfSorted(replicate, alpha);
        double qHigh = Quantile.OfSorted(replicate, 1 - alpha);
        return (lambda, trace, Math.Max(0, 2 * lambda - qHigh), Math.Max(0, 2 * lambda - qLow));
    }
}

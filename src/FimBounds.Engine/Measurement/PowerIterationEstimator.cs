using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Power iteration on the matrix-free F(x) for a chunk of inputs: v ← Fv/‖Fv‖, estimate θ = vᵀFv (a
/// Rayleigh quotient, never above λ_max). A sample stops when θ changes by less than tolerance·θ.
/// Simple and memory-light, but its convergence rate is λ₂/λ₁: Lanczos is the better choice.
/// </summary>
internal static class PowerIterationEstimator
{
    public static List<FimSample> Run(MatrixFreeFisher fisher, int firstIndex, FimOptions options, CancellationToken cancellation)
    {
        long batch = fisher.Batch;
        int maxSteps = options.MaxIterations > 0 ? options.MaxIterations : 1000;
        var theta = Enumerable.Repeat(double.NaN, (int)batch).ToArray();
        var steps = new int[batch];
        var done = new bool[batch];
        Tensor v = LanczosEstimator.StartVectors(batch, fisher.Dimension, firstIndex, options.Seed);
        for (int j = 0; j < maxSteps && done.Any(x => !x); j++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            Tensor fv = fisher.Apply(v);
            double[] rayleigh = (fv * v).sum(1).data<double>().ToArray();
            Tensor norm = fv.norm(1, keepdim: true);
            for (int s = 0; s < batch; s++)
            {
                if (done[s])
                {
                    continue;
                }
                bool settled = Math.Abs(rayleigh[s] - theta[s]) <= options.Tolerance * Math.Abs(rayleigh[s]);
                theta[s] = rayleigh[s];
                steps[s] = j + 1;
                done[s] = settled || !double.IsFinite(rayleigh[s]) || rayleigh[s] == 0;
            }
            // Converged rows keep their vector; the others move on.
            Tensor active = tensor(done.Select(x => x ? 0.0 : 1.0).ToArray()).unsqueeze(1);
            Tensor moved = fv / norm.ClampBelow(1e-300);
            v = (active * moved).Plus(active.SubtractedFrom(1.0) * v).MoveToOuterDisposeScope();
        }

        using var scope = NewDisposeScope();
        double[] probabilities = fisher.Probabilities.data<double>().ToArray();
        bool[] finiteLogits = isfinite(fisher.Logits).all(1).data<bool>().ToArray();
        double[] curvature = SoftmaxCurvature.LargestEigenvalues(fisher.Probabilities);
        int classes = (int)fisher.Classes;
        var samples = new List<FimSample>();
        for (int s = 0; s < batch; s++)
        {
            float[]? vector = options.KeepEigenvectors ? v[s].to(float32).data<float>().ToArray() : null;
            samples.Add(MatrixFreeSamples.Build(firstIndex + s, probabilities.AsSpan(s * classes, classes).ToArray(), curvature[s],
                finiteLogits[s], theta[s], trace: null, steps[s]) with { Eigenvector = vector });
        }
        return samples;
    }
}

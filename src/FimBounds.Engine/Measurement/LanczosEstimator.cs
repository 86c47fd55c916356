using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Lanczos with full reorthogonalisation on the matrix-free F(x), all inputs of a chunk at once (each
/// with its own Krylov basis and tridiagonal matrix). A sample stops when its top Ritz pair's residual
/// ‖Fy − θy‖ = β_j |s_last| falls below tolerance·θ, or at breakdown (β_j ≈ 0: the Krylov space is
/// invariant and θ is exact). Because rank F ≤ K − 1, the Krylov space has dimension ≤ K, so at most K
/// steps are ever needed; fewer when the top eigenvalue is well separated, which is why this beats the
/// K backward passes of the exact method when K is large. The Ritz value never exceeds λ_max.
/// </summary>
internal static class LanczosEstimator
{
    public static List<FimSample> Run(MatrixFreeFisher fisher, int firstIndex, FimOptions options, CancellationToken cancellation)
    {
        long batch = fisher.Batch;
        long d = fisher.Dimension;
        int maxSteps = options.MaxIterations > 0 ? options.MaxIterations : (int)Math.Min(d, fisher.Classes + 2);

        var basis = new List<Tensor>();          // v_0 … v_j, each [B, d], kept in the fisher's scope
        var alphas = new List<double[]>();
        var betas = new List<double[]>();
        var done = new bool[batch];
        var theta = new double[batch];
        var steps = new int[batch];
        var ritzCoefficients = new double[batch][];

        basis.Add(StartVectors(batch, d, firstIndex, options.Seed));
        for (int j = 0; j < maxSteps; j++)
        {
            cancellation.ThrowIfCancellationRequested();
            Tensor next;
            double[] alpha;
            double[] beta;
            using (var step = NewDisposeScope())
            {
                Tensor v = basis[j];
                Tensor w = fisher.Apply(v);
                Tensor a = (w * v).sum(1);
                w = w - a.unsqueeze(1) * v;
                if (j > 0)
                {
                    w = w - tensor(betas[j - 1]).unsqueeze(1) * basis[j - 1];
                }
                // Full reorthogonalisation, twice ("twice is enough"): keeps the basis orthonormal in floating point.
                Tensor stacked = stack(basis, 1);                                   // [B, j+1, d]
                for (int pass = 0; pass < 2; pass++)
                {
                    Tensor coefficients = bmm(stacked, w.unsqueeze(2));             // [B, j+1, 1]
                    w = w - bmm(stacked.transpose(1, 2), coefficients).squeeze(2);
                }
                Tensor b = w.norm(1);
                alpha = a.data<double>().ToArray();
                beta = b.data<double>().ToArray();
                next = (w / b.ClampBelow(1e-300).unsqueeze(1)).MoveToOuterDisposeScope();
            }
            alphas.Add(alpha);
            betas.Add(beta);

            (double[] tops, double[][] vectors) = TopRitzPairs(alphas, betas);
            bool allDone = true;
            for (int s = 0; s < batch; s++)
            {
                if (done[s])
                {
                    continue;
                }
                steps[s] = j + 1;
                theta[s] = tops[s];
                ritzCoefficients[s] = vectors[s];
                double residual = beta[s] * Math.Abs(vectors[s][^1]);
                bool breakdown = beta[s] <= 1e-12 * Math.Max(Math.Abs(tops[s]), double.Epsilon);
                if (!double.IsFinite(tops[s]) || residual <= options.Tolerance * Math.Abs(tops[s]) || breakdown || j + 1 == maxSteps)
                {
                    done[s] = true;
                    continue;
                }
                allDone = false;
            }
            if (allDone)
            {
                break;
            }
            // Finished samples continue with a zero vector: F0 = 0, so they cost nothing extra in accuracy.
            Tensor active = tensor(done.Select(x => x ? 0.0 : 1.0).ToArray()).unsqueeze(1);
            basis.Add(next * active);
        }

        return Samples(fisher, basis, theta, steps, ritzCoefficients, firstIndex, options.KeepEigenvectors);
    }

    /// <summary>
    /// The top eigenpair of every sample's tridiagonal T_m (diagonal α, off-diagonal β) in one batched
    /// eigen-solve, so the per-step cost stays negligible next to the two backward passes. Samples whose
    /// coefficients are not finite get NaN.
    /// </summary>
    private static (double[] Values, double[][] Vectors) TopRitzPairs(List<double[]> alphas, List<double[]> betas)
    {
        using var scope = NewDisposeScope();
        int m = alphas.Count;
        Tensor a = tensor(alphas.SelectMany(x => x).ToArray(), dtype: float64).reshape(m, -1).t();               // [B, m]
        Tensor t = diag_embed(a);
        if (m > 1)
        {
            Tensor b = tensor(betas.Take(m - 1).SelectMany(x => x).ToArray(), dtype: float64).reshape(m - 1, -1).t(); // [B, m−1]
            t = t.Plus(diag_embed(b, offset: 1)).Plus(diag_embed(b, offset: -1));
        }
        Tensor finite = isfinite(t).flatten(1).all(1);
        t = where(finite.view(-1, 1, 1), t, zeros_like(t));
        (Tensor values, Tensor vectors) = linalg.eigh(t);
        double[] top = values.select(1, -1).data<double>().ToArray();
        double[] flat = vectors.select(2, -1).contiguous().data<double>().ToArray();
        bool[] ok = finite.data<bool>().ToArray();
        var result = new double[top.Length][];
        for (int s = 0; s < top.Length; s++)
        {
            result[s] = flat.AsSpan(s * m, m).ToArray();
            if (!ok[s])
            {
                top[s] = double.NaN;
            }
        }
        return (top, result);
    }

    /// <summary>Random unit start vectors, one per input from that input's own generator.</summary>
    internal static Tensor StartVectors(long batch, long d, int firstIndex, long seed)
    {
        var rows = new Tensor[batch];
        for (int s = 0; s < batch; s++)
        {
            using Generator generator = RandomDirections.For(seed, firstIndex + s, stream: 1);
            rows[s] = RandomDirections.UnitSphere(1, d, generator);
        }
        return cat(rows, 0);
    }

    private static List<FimSample> Samples(MatrixFreeFisher fisher, List<Tensor> basis, double[] theta, int[] steps,
        double[][] ritzCoefficients, int firstIndex, bool keepEigenvectors)
    {
        using var scope = NewDisposeScope();
        double[] probabilities = fisher.Probabilities.data<double>().ToArray();
        bool[] finiteLogits = isfinite(fisher.Logits).all(1).data<bool>().ToArray();
        double[] curvature = SoftmaxCurvature.LargestEigenvalues(fisher.Probabilities);
        int classes = (int)fisher.Classes;
        var samples = new List<FimSample>();
        for (int s = 0; s < theta.Length; s++)
        {
            float[]? vector = null;
            if (keepEigenvectors && double.IsFinite(theta[s]) && ritzCoefficients[s] is not null)
            {
                Tensor y = zeros(fisher.Dimension, dtype: float64);
                for (int i = 0; i < ritzCoefficients[s].Length; i++)
                {
                    y = y.Plus(basis[i][s].Times(ritzCoefficients[s][i]));
                }
                vector = (y / y.norm().ClampBelow(1e-300)).to(float32).data<float>().ToArray();
            }
            samples.Add(MatrixFreeSamples.Build(firstIndex + s, probabilities.AsSpan(s * classes, classes).ToArray(), curvature[s],
                finiteLogits[s], theta[s], trace: null, steps[s]) with { Eigenvector = vector });
        }
        return samples;
    }
}

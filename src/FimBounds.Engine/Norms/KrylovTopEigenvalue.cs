using FimBounds.Engine.Measurement;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The top eigenpair of a symmetric PSD operator given as a function (Lanczos with full
/// reorthogonalisation). Converges far faster than power iteration when the top of the spectrum is
/// clustered, as it is for convolutions (σ₁ ≈ σ₂ at neighbouring frequencies).
/// </summary>
internal static class KrylovTopEigenvalue
{
    /// <summary>The unit Ritz vector of the largest Ritz value after at most <paramref name="maxSteps"/> steps.</summary>
    public static Tensor TopVector(Func<Tensor, Tensor> apply, long[] shape, int maxSteps, double tolerance, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Math.Abs(seed) + 1);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        int steps = (int)Math.Min(maxSteps, n);
        Tensor v = randn(new[] { n }, dtype: float64, generator: generator);
        v /= v.norm();
        var basis = new List<Tensor> { v };
        var alpha = new List<double>();
        var beta = new List<double>();
        double[] coefficients = { 1.0 };
        for (int j = 0; j < steps; j++)
        {
            Tensor w = apply(basis[j].reshape(shape)).reshape(n);
            double a = w.dot(basis[j]).item<double>();
            Tensor stacked = stack(basis);
            for (int pass = 0; pass < 2; pass++)
            {
                w = w - stacked.t().matmul(stacked.matmul(w));
            }
            double b = w.norm().item<double>();
            alpha.Add(a);
            beta.Add(b);
            (double theta, double[] vector) = SymmetricTridiagonal.TopPair(alpha, beta);
            coefficients = vector;
            if (b * Math.Abs(vector[^1]) <= tolerance * Math.Abs(theta) || b <= 1e-14 * Math.Abs(theta) || j + 1 == steps)
            {
                break;
            }
            basis.Add(w.DividedBy(b));
        }
        Tensor y = zeros(n, dtype: float64);
        for (int i = 0; i < coefficients.Length; i++)
        {
            y = y.Plus(basis[i].Times(coefficients[i]));
        }
        return (y / y.norm()).reshape(shape).MoveToOuterDisposeScope();
    }
}

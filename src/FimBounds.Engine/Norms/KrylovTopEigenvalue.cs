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
    /// <summary>
    /// The unit Ritz vector of the largest Ritz value after at most <paramref name="maxSteps"/> steps, in
    /// <paramref name="dtype"/>, from <paramref name="start"/> (of <paramref name="shape"/>) or, when null, a seeded random vector.
    /// </summary>
    public static Tensor TopVector(Func<Tensor, Tensor> apply, long[] shape, int maxSteps, double tolerance, long seed, ScalarType dtype = ScalarType.Float64,
        Tensor? start = null)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Math.Abs(seed) + 1);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        int steps = (int)Math.Min(maxSteps, n);
        start = start?.reshape(n).to(dtype) ?? randn(new[] { n }, dtype: float64, generator: generator).to(dtype);
        Tensor v = start.div(start.norm());
        var basis = new List<Tensor> { v };
        var alpha = new List<double>();
        var beta = new List<double>();
        double[] coefficients = { 1.0 };
        for (int j = 0; j < steps; j++)
        {
            Tensor w = apply(basis[j].reshape(shape)).reshape(n);
            double a = w.dot(basis[j]).ToDouble();
            Tensor stacked = stack(basis);
            for (int pass = 0; pass < 2; pass++)
            {
                w = w.Minus(stacked.t().matmul(stacked.matmul(w)));
            }
            double b = w.norm().ToDouble();
            alpha.Add(a);
            beta.Add(b);
            (double theta, double[] vector) = SymmetricTridiagonal.TopPair(alpha, beta);
            coefficients = vector;
            if (b * Math.Abs(vector[^1]) <= tolerance * Math.Abs(theta) || b <= 1e-14 * Math.Abs(theta) * (dtype == ScalarType.Float32 ? 1e8 : 1) || j + 1 == steps)
            {
                break;
            }
            basis.Add(w.DividedBy(b));
        }
        Tensor y = zeros(n, dtype: dtype);
        for (int i = 0; i < coefficients.Length; i++)
        {
            y.PlusInPlace(basis[i], coefficients[i]);
        }
        return y.div(y.norm()).reshape(shape).MoveToOuterDisposeScope();
    }
}

using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Measurement;

/// <summary>F(x) computed three independent ways agrees, and the KL divergence is ½δᵀFδ to second order.</summary>
public sealed class FisherIdentityTests
{
    public static TheoryData<string> Models => new() { "mlp", "cnn" };

    private static (nn.Module<Tensor, Tensor> Model, Tensor Input) Case(string name) => name switch
    {
        "mlp" => (Nets.SmoothMlp(12, 10, 5, seed: 1), TestTensors.Pixels(2, 12)),
        _ => (Nets.ReluCnn(1, 6, 4, seed: 3), TestTensors.Pixels(4, 1, 6, 6)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Dense_JtAJ_equals_QLambdaQt_equals_the_covariance_of_the_logit_gradients_over_y_from_p(string name)
    {
        (var model, Tensor x) = Case(name);
        Matrix<double> dense = DenseAlgebra.ToMatrix(FimMeasurer.DenseFisher(model, x));

        Matrix<double> q = DenseAlgebra.LogProbabilityGradients(model, x);
        (Matrix<double> j, double[] p) = DenseAlgebra.LogitJacobian(model, x);
        Matrix<double> qLambdaQt = q * Matrix<double>.Build.DenseOfDiagonalArray(p) * q.Transpose();

        // Cov_{y∼p}[∇z_y]: E[∇z_y ∇z_yᵀ] − E[∇z_y] E[∇z_y]ᵀ, the "variance of the input Jacobian".
        Vector<double> mean = j.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(p));
        Matrix<double> second = Matrix<double>.Build.Dense(j.ColumnCount, j.ColumnCount);
        for (int y = 0; y < p.Length; y++)
        {
            second += p[y] * j.Row(y).OuterProduct(j.Row(y));
        }
        Matrix<double> covariance = second - mean.OuterProduct(mean);

        Assert.True(DenseAlgebra.RelativeDifference(dense, qLambdaQt) < 1e-10);
        Assert.True(DenseAlgebra.RelativeDifference(dense, covariance) < 1e-10);
        Assert.True(dense.Enumerate().Any(v => Math.Abs(v) > 1e-6), "F should not be trivially zero");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Exact_method_returns_the_largest_eigenvalue_and_trace_of_the_dense_matrix(string name)
    {
        (var model, Tensor x) = Case(name);
        Matrix<double> dense = DenseAlgebra.ToMatrix(FimMeasurer.DenseFisher(model, x));
        FimSample sample = FimMeasurer.Measure(model, x.unsqueeze(0), FimMethod.Exact, new FimOptions { KeepEigenvectors = true }).Samples[0];

        double lambda = DenseAlgebra.LargestEigenvalue(dense);
        Assert.Equal(lambda, sample.LambdaMax!.Value, lambda * 1e-9);
        Assert.Equal(dense.Trace(), sample.Trace!.Value, dense.Trace() * 1e-9);

        Vector<double> v = Vector<double>.Build.DenseOfArray(sample.Eigenvector!.Select(f => (double)f).ToArray());
        double residual = (dense * v - lambda * v).L2Norm();
        Assert.True(residual < 1e-5 * lambda, $"‖Fv − λv‖ = {residual}, λ = {lambda}");   // v is stored in float32
    }

    [Fact]
    public void Kl_divergence_is_half_the_quadratic_form_with_an_error_that_shrinks_cubically()
    {
        var model = Nets.SmoothMlp(12, 10, 5, seed: 5);
        Tensor x = TestTensors.Pixels(6, 12);
        Tensor direction;
        using (var generator = new Generator(7))
        {
            direction = randn(new long[] { 12 }, dtype: float64, generator: generator);
        }
        direction /= direction.norm();

        var errors = new List<double>();
        foreach (double size in new[] { 0.04, 0.02, 0.01, 0.005 })
        {
            Tensor delta = direction * size;
            double kl = DenseAlgebra.KullbackLeibler(model, x, delta);
            double quadratic = FimMeasurer.QuadraticForm(model, x.unsqueeze(0), delta.unsqueeze(0))[0];
            errors.Add(Math.Abs(kl - 0.5 * quadratic));
            Assert.True(Math.Abs(kl - 0.5 * quadratic) < 0.05 * kl, $"at ‖δ‖ = {size}: KL {kl}, ½δᵀFδ {0.5 * quadratic}");
        }
        // The remainder is O(‖δ‖³): halving δ divides it by about 8 (so it vanishes faster than ‖δ‖²).
        for (int i = 1; i < errors.Count; i++)
        {
            double ratio = errors[i - 1] / errors[i];
            Assert.InRange(ratio, 6.0, 10.0);
        }
    }

    [Fact]
    public void Quadratic_form_matches_the_dense_matrix()
    {
        var model = Nets.ReluCnn(1, 6, 4, seed: 8);
        Tensor x = TestTensors.Pixels(9, 1, 6, 6);
        Tensor delta = TestTensors.Pixels(10, 1, 6, 6) - 0.5;
        Matrix<double> dense = DenseAlgebra.ToMatrix(FimMeasurer.DenseFisher(model, x));
        Vector<double> v = Vector<double>.Build.DenseOfArray(TestTensors.Data(delta.reshape(-1)));
        double expected = v * (dense * v);
        double actual = FimMeasurer.QuadraticForm(model, x.unsqueeze(0), delta.unsqueeze(0))[0];
        Assert.Equal(expected, actual, expected * 1e-10);
    }
}

using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Measurement;

/// <summary>Every estimator against the exact value, within the error it states.</summary>
public sealed class EstimatorAccuracyTests
{
    private static (nn.Module<Tensor, Tensor> Model, Tensor Inputs) Cnn(int classes = 6, int size = 8, int count = 6, long seed = 11) =>
        (Nets.ReluCnn(1, size, classes, seed), TestTensors.Pixels(seed + 1, count, 1, size, size));

    private static double[] Lambdas(FimMeasurement m) => m.Samples.Select(s => s.LambdaMax!.Value).ToArray();

    [Fact]
    public void Lanczos_matches_exact_to_its_tolerance_and_never_exceeds_it()
    {
        (var model, Tensor x) = Cnn(classes: 12);
        double[] exact = Lambdas(FimMeasurer.Measure(model, x, FimMethod.Exact));
        FimMeasurement lanczos = FimMeasurer.Measure(model, x, FimMethod.Lanczos, new FimOptions { Tolerance = 1e-8 });
        for (int i = 0; i < exact.Length; i++)
        {
            double ritz = lanczos.Samples[i].LambdaMax!.Value;
            Assert.True(Math.Abs(ritz - exact[i]) <= 1e-8 * exact[i], $"input {i}: Lanczos {ritz}, exact {exact[i]}");
            Assert.True(ritz <= exact[i] * (1 + 1e-12));
            Assert.InRange(lanczos.Samples[i].Iterations!.Value, 1, 12 + 2);   // rank F ≤ K − 1 bounds the Krylov dimension
        }
    }

    [Fact]
    public void Lanczos_eigenvector_is_an_eigenvector_of_the_dense_matrix()
    {
        (var model, Tensor x) = Cnn(classes: 5, size: 6, count: 1);
        FimSample sample = FimMeasurer.Measure(model, x, FimMethod.Lanczos, new FimOptions { KeepEigenvectors = true, Tolerance = 1e-10 }).Samples[0];
        var dense = DenseAlgebra.ToMatrix(FimMeasurer.DenseFisher(model, x[0]));
        var v = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(sample.Eigenvector!.Select(f => (double)f).ToArray());
        double lambda = sample.LambdaMax!.Value;
        Assert.True((dense * v - lambda * v).L2Norm() < 1e-5 * lambda);
    }

    [Fact]
    public void Power_iteration_converges_to_exact_from_below()
    {
        (var model, Tensor x) = Cnn();
        double[] exact = Lambdas(FimMeasurer.Measure(model, x, FimMethod.Exact));
        FimMeasurement power = FimMeasurer.Measure(model, x, FimMethod.Power, new FimOptions { Tolerance = 1e-12, MaxIterations = 5000 });
        for (int i = 0; i < exact.Length; i++)
        {
            double value = power.Samples[i].LambdaMax!.Value;
            Assert.True(value <= exact[i] * (1 + 1e-12));
            Assert.True(value >= exact[i] * (1 - 1e-5), $"input {i}: power {value}, exact {exact[i]} after {power.Samples[i].Iterations} steps");
        }
    }

    [Fact]
    public void Hutchinson_trace_is_within_four_standard_errors_and_its_bracket_contains_lambda_max()
    {
        (var model, Tensor x) = Cnn();
        FimMeasurement exact = FimMeasurer.Measure(model, x, FimMethod.Exact);
        FimMeasurement hutchinson = FimMeasurer.Measure(model, x, FimMethod.Hutchinson, new FimOptions { HutchinsonProbes = 2000 });
        for (int i = 0; i < exact.Samples.Count; i++)
        {
            FimSample e = exact.Samples[i];
            FimSample h = hutchinson.Samples[i];
            Assert.Null(h.LambdaMax);
            Assert.True(Math.Abs(h.Trace!.Value - e.Trace!.Value) <= 4 * h.TraceStandardError!.Value,
                $"input {i}: trace {h.Trace} ± {h.TraceStandardError}, exact {e.Trace}");
            // The exact sandwich always holds; the estimated one holds when the estimate is close.
            Assert.InRange(e.LambdaMax!.Value, e.Trace!.Value / (exact.Classes - 1), e.Trace.Value);
            Assert.InRange(e.LambdaMax.Value, h.CiLow!.Value * 0.9, h.CiHigh!.Value * 1.1);
        }
    }

    [Fact]
    public void Black_box_with_a_complete_orthonormal_basis_of_directions_is_exact_up_to_finite_differences()
    {
        (var model, Tensor x) = Cnn(classes: 4, size: 6, count: 4);
        FimMeasurement exact = FimMeasurer.Measure(model, x, FimMethod.Exact);
        FimMeasurement sketch = FimMeasurer.Measure(model, x, FimMethod.BlackBox, new FimOptions { Directions = 36 });
        for (int i = 0; i < exact.Samples.Count; i++)
        {
            double e = exact.Samples[i].LambdaMax!.Value;
            Assert.Equal(e, sketch.Samples[i].LambdaMax!.Value, e * 1e-6);
            Assert.Equal(exact.Samples[i].Trace!.Value, sketch.Samples[i].Trace!.Value, exact.Samples[i].Trace!.Value * 1e-6);
        }
    }

    [Fact]
    public void Black_box_sketch_with_20K_directions_is_close_and_its_interval_usually_covers_exact()
    {
        (var model, Tensor x) = Cnn(classes: 4, size: 12, count: 24, seed: 21);
        double[] exact = Lambdas(FimMeasurer.Measure(model, x, FimMethod.Exact));
        FimMeasurement sketch = FimMeasurer.Measure(model, x, FimMethod.BlackBox);   // m = 20·K = 80 of d = 144
        double[] errors = exact.Select((e, i) => Math.Abs(sketch.Samples[i].LambdaMax!.Value - e) / e).OrderBy(v => v).ToArray();
        int covered = exact.Where((e, i) => sketch.Samples[i].CiLow <= e && e <= sketch.Samples[i].CiHigh).Count();
        Assert.True(errors[errors.Length / 2] < 0.15, $"median relative error {errors[errors.Length / 2]:P1}");
        Assert.True(covered >= 0.75 * exact.Length, $"interval covered exact at {covered} of {exact.Length} inputs");
    }

    [Fact]
    public void Srp_estimators_stay_below_exact()
    {
        (var model, Tensor x) = Cnn(classes: 10, size: 8, count: 4);
        double[] exact = Lambdas(FimMeasurer.Measure(model, x, FimMethod.Exact));
        double[] white = Lambdas(FimMeasurer.Measure(model, x, FimMethod.Srp));
        double[] black = Lambdas(FimMeasurer.Measure(model, x, FimMethod.SrpBlackBox));
        for (int i = 0; i < exact.Length; i++)
        {
            // A Rayleigh quotient never exceeds λ_max; each black-box term is v_jᵀFv_j for a unit v_j (up to O(h²)).
            Assert.True(white[i] <= exact[i] * (1 + 1e-9), $"input {i}: srp {white[i]} > exact {exact[i]}");
            Assert.True(black[i] <= exact[i] * 1.01, $"input {i}: srp-blackbox {black[i]} > exact {exact[i]}");
            Assert.True(black[i] < 0.5 * exact[i], "the SRP black-box value should be far below λ_max (it scales like tr F/d)");
        }
    }
}

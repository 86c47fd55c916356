using FimBounds.Core.Errors;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Measurement;

/// <summary>Chunking, memory budget, non-finite inputs, model state and the local bound.</summary>
public sealed class MeasurerBehaviourTests
{
    [Fact]
    public void Results_do_not_depend_on_how_the_batch_is_chunked()
    {
        var model = Nets.ReluCnn(1, 8, 5, seed: 31);
        Tensor x = TestTensors.Pixels(32, 5, 1, 8, 8);
        foreach (FimMethod method in new[] { FimMethod.Exact, FimMethod.Lanczos, FimMethod.BlackBox })
        {
            double[] whole = FimMeasurer.Measure(model, x, method).Samples.Select(s => s.LambdaMax!.Value).ToArray();
            double[] single = FimMeasurer.Measure(model, x, method, new FimOptions { MaxBatchSize = 1 }).Samples.Select(s => s.LambdaMax!.Value).ToArray();
            for (int i = 0; i < whole.Length; i++)
            {
                Assert.Equal(whole[i], single[i], Math.Abs(whole[i]) * 1e-9);
            }
        }
    }

    [Fact]
    public void An_input_that_does_not_fit_the_memory_budget_is_an_error_naming_the_fix()
    {
        var error = Assert.Throws<InputException>(() => FimMeasurer.Measure(Nets.SmoothMlp(200_000, 2, 10, seed: 35), TestTensors.Pixels(36, 1, 200_000),
            FimMethod.Exact, new FimOptions { MaxMemoryMegabytes = 1 }));
        Assert.Contains("--max-memory", error.Message);
        Assert.Contains("lanczos", error.Message);
    }

    [Fact]
    public void The_memory_budget_sets_the_chunk_size()
    {
        var options = new FimOptions { MaxMemoryMegabytes = 1, MaxBatchSize = 1000 };
        // 1000 activations × 8 bytes × 3 copies + 8 000 bytes = 32 000 bytes per input; 1 MB holds 32 of them.
        Assert.Equal(32, ChunkPlanner.InputsPerChunk(1000, 8, 3, 8000, options, FimMethod.Exact, cap: 1000));
        Assert.Equal(16, ChunkPlanner.InputsPerChunk(1000, 8, 3, 8000, options, FimMethod.Exact, cap: 16));
    }

    [Fact]
    public void Activations_are_counted_from_the_leaf_modules()
    {
        TestTensors.Seed(36);
        var model = nn.Sequential(("fc1", nn.Linear(10, 20)), ("act", nn.ReLU()), ("fc2", nn.Linear(20, 3))).to(float64);
        // input 10 + fc1 20 + relu 20 + fc2 3 + logits 3
        Assert.Equal(56, ChunkPlanner.ActivationElementsPerInput(model, TestTensors.Pixels(1, 1, 10)));
    }

    [Fact]
    public void Non_finite_inputs_are_reported_per_input_and_left_out_of_the_summary()
    {
        // log of the inputs: a negative pixel gives NaN logits for that input only.
        TestTensors.Seed(37);
        var inner = nn.Sequential(("fc", nn.Linear(6, 3))).to(float64);
        var model = new LogInputs(inner);
        Tensor x = TestTensors.Pixels(38, 4, 6) + 0.1;
        x[2, 0] = tensor(-1.0, dtype: float64);
        foreach (FimMethod method in FimMethods.AllNames.Select(FimMethods.Parse))
        {
            FimMeasurement m = FimMeasurer.Measure(model, x, method, new FimOptions { Directions = 12, HutchinsonProbes = 4 });
            Assert.Equal(SampleStatus.NonFiniteLogits, m.Samples[2].Status is SampleStatus.NonFiniteGradients ? SampleStatus.NonFiniteLogits : m.Samples[2].Status);
            Assert.All(m.Samples.Where(s => s.Index != 2), s => Assert.True(s.IsFinite, $"{method}: input {s.Index} {s.Problem}"));
            Assert.Equal(3, m.Summary.Count);
            Assert.Equal(1, m.Summary.NonFinite);
            Assert.True(double.IsFinite(m.Summary.Mean), method.ToString());
        }
    }

    [Fact]
    public void The_model_comes_back_in_its_original_mode_dtype_and_gradient_state()
    {
        TestTensors.Seed(39);
        var model = nn.Sequential(("fc", nn.Linear(6, 3)), ("drop", nn.Dropout(0.5)));
        model.train();
        Tensor x = TestTensors.Pixels(40, 3, 6).to(float32);
        FimMeasurement m = FimMeasurer.Measure(model, x, FimMethod.BlackBox, new FimOptions { Directions = 6 });
        Assert.True(m.Samples.All(s => s.IsFinite));
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Srp_mode_back_propagates_into_the_parameters_like_the_reference_and_puts_their_gradients_back()
    {
        TestTensors.Seed(44);
        var model = nn.Sequential(("fc", nn.Linear(6, 3))).to(float64);
        Tensor weight = model.parameters().First();
        Assert.Null(weight.grad);
        FimMeasurement m = FimMeasurer.Measure(model, TestTensors.Pixels(45, 2, 6), FimMethod.Srp);
        Assert.True(m.Samples.All(s => s.IsFinite));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.IsInvalid, "SRP mode left a parameter gradient behind"));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Local_bound_and_confidence_factor_sit_above_the_measurement()
    {
        var model = Nets.ReluCnn(1, 8, 7, seed: 41);
        FimMeasurement m = FimMeasurer.Measure(model, TestTensors.Pixels(42, 8, 1, 8, 8), FimMethod.Exact);
        Assert.All(m.Samples, s =>
        {
            Assert.True(s.LambdaMax <= s.LocalBound, $"λ {s.LambdaMax} > local bound {s.LocalBound}");
            Assert.True(s.SoftmaxCurvature <= s.ConfidenceFactor * (1 + 1e-12));
            Assert.True(s.ConfidenceFactor <= 0.5);
        });
    }

    [Fact]
    public void Softmax_curvature_never_exceeds_the_confidence_aware_factor()
    {
        using var generator = new Generator(43);
        for (int trial = 0; trial < 200; trial++)
        {
            int k = 2 + trial % 30;
            double temperature = Math.Pow(10, trial % 7 - 2);
            Tensor p = nn.functional.softmax(randn(new long[] { 1, k }, dtype: float64, generator: generator) * temperature * 10, 1);
            double curvature = SoftmaxCurvature.LargestEigenvalues(p)[0];
            double bound = SoftmaxCurvature.ConfidenceFactor(TestTensors.Data(p[0]));
            Assert.True(curvature <= bound * (1 + 1e-12) + 1e-300, $"K={k}: λ_max(A) {curvature} > c_p {bound}");
        }
    }

    /// <summary>x ↦ inner(log x): NaN logits for non-positive pixels.</summary>
    private sealed class LogInputs : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public LogInputs(nn.Module<Tensor, Tensor> inner) : base(nameof(LogInputs))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => inner.call(input.log());
    }
}

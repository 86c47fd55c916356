using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>Symbol values for hand-built descriptions, against direct computations on the weights.</summary>
public sealed class QuantityEvaluatorTests
{
    private static (QuantityEvaluator Evaluator, ModelWeights Weights, ArchitectureDescription Description) Setup(string name, Tensor? calibration = null)
    {
        ArchitectureDescription description = TestNetworks.Describe(name);
        var model = new DescribedModel(description, seed: 71);
        var weights = new ModelWeights(model);
        var quantities = new WeightQuantities(description, weights);
        var statistics = calibration is null ? CalibrationStatistics.None : CalibrationStatistics.Measure(model, description, calibration);
        return (new QuantityEvaluator(quantities, new AssumptionValues(description, quantities, statistics)), weights, description);
    }

    [Fact]
    public void Linear_operator_norm_is_the_largest_singular_value()
    {
        (QuantityEvaluator evaluator, ModelWeights weights, _) = Setup("vgg-like");
        double expected = linalg.svdvals(weights.Get("l15", "weight")).max().item<double>();
        Assert.Equal(expected, evaluator.Evaluate(new SymbolMeaning(Quantity.OperatorNorm, "l15")), expected * 1e-8);
    }

    [Fact]
    public void Batch_norm_after_a_convolution_is_folded_and_evaluates_to_one()
    {
        (QuantityEvaluator evaluator, ModelWeights weights, _) = Setup("vgg-like");
        Assert.Equal(1.0, evaluator.Evaluate(new SymbolMeaning(Quantity.BatchNormScale, "l2")));
        // Folding scales each output channel c by s_c = γ_c/√(var_c + ε): σ(diag(s)·W) ≤ max|s_c|·σ(W) = β·σ(W),
        // with σ(W) the unfolded convolution's exact norm at the layer's 2×8×8 input (dense Jacobian SVD).
        using var scope = NewDisposeScope();
        Tensor gamma = weights.Get("l2", "weight");
        Tensor variance = weights.Get("l2", "running_var");
        double beta = gamma.abs().div(variance.Plus(1e-5).sqrt()).max().item<double>();
        Tensor kernel = weights.Get("l1", "weight").to(float64);
        Tensor? bias = null;
        double sigma = LayerJacobian.SpectralNorm(
            x => nn.functional.conv2d(x, kernel, bias, padding: new long[] { 1, 1 }), zeros(new long[] { 2, 8, 8 }, dtype: float64));
        double folded = evaluator.Evaluate(new SymbolMeaning(Quantity.OperatorNorm, "l1"));
        // The evaluator's value is a certified upper end of σ(folded): allow its margin above the exact product.
        Assert.True(folded > 0 && folded <= sigma * beta * (1 + 1e-3), $"σ(folded) = {folded} > σ(W)·β = {sigma}·{beta}");
    }

    [Fact]
    public void Batch_norm_before_a_convolution_is_folded_into_it_and_evaluates_to_one()
    {
        (QuantityEvaluator evaluator, _, _) = Setup("densenet-like");
        // l2 is the transition's BatchNorm (pre-activation): its scale lives in σ(l4∘l2) (LinearFoldTests).
        Assert.Equal(1.0, evaluator.Evaluate(new SymbolMeaning(Quantity.BatchNormScale, "l2")));
    }

    [Fact]
    public void Layer_norm_gain_shift_and_measured_variance_floor()
    {
        Tensor inputs = TestTensors.Pixels(72, 4, 1, 8, 8);
        (QuantityEvaluator evaluator, ModelWeights weights, _) = Setup("vit-like", inputs);
        Assert.Equal(weights.Get("l4.body.l0", "weight").abs().max().item<double>(), evaluator.Evaluate(new SymbolMeaning(Quantity.LayerNormGain, "l4.body.l0")), 12);
        Assert.Equal(weights.Get("l4.body.l0", "bias").norm().item<double>(), evaluator.Evaluate(new SymbolMeaning(Quantity.LayerNormShiftNorm, "l4.body.l0")), 8);
        double floor = evaluator.Evaluate(new SymbolMeaning(Quantity.TokenVarianceFloor, "l4.body.l0"));
        Assert.True(floor > 0, "a measured variance floor of real tokens is positive");
    }

    [Fact]
    public void Attention_norms_come_from_the_packed_projection_per_head()
    {
        (QuantityEvaluator evaluator, ModelWeights weights, _) = Setup("vit-like");
        Tensor w = weights.Get("l4.body.l1", "in_proj_weight");      // 3·8 × 8, two heads of 4
        Tensor b = weights.Get("l4.body.l1", "in_proj_bias");
        for (int h = 0; h < 2; h++)
        {
            Tensor wq = w.narrow(0, 4 * h, 4), wk = w.narrow(0, 8 + 4 * h, 4), wv = w.narrow(0, 16 + 4 * h, 4);
            double value = linalg.svdvals(wv).max().item<double>();
            Assert.Equal(value, evaluator.Evaluate(new SymbolMeaning(Quantity.AttentionValueNorm, "l4.body.l1", h)), value * 1e-8);
            double queryKey = linalg.svdvals(wq.t().matmul(wk)).max().item<double>();
            Assert.Equal(queryKey, evaluator.Evaluate(new SymbolMeaning(Quantity.AttentionQueryKeyNorm, "l4.body.l1", h)), queryKey * 1e-8);
            double kappa = wk.t().matmul(b.narrow(0, 4 * h, 4)).norm().item<double>();
            Assert.True(kappa > 0, "the test model has a query bias");
            Assert.Equal(kappa, evaluator.Evaluate(new SymbolMeaning(Quantity.AttentionQueryBiasKeyNorm, "l4.body.l1", h)), kappa * 1e-8);
        }
        double output = linalg.svdvals(weights.Get("l4.body.l1.out_proj", "weight")).max().item<double>();
        Assert.Equal(output, evaluator.Evaluate(new SymbolMeaning(Quantity.AttentionOutputNorm, "l4.body.l1")), output * 1e-8);
    }

    [Fact]
    public void Input_radius_comes_from_the_layer_norm_weights_when_one_feeds_the_attention()
    {
        (QuantityEvaluator evaluator, ModelWeights weights, _) = Setup("vit-like");
        double gain = weights.Get("l4.body.l0", "weight").abs().max().item<double>();
        double shift = weights.Get("l4.body.l0", "bias").norm().item<double>();
        double expected = gain * Math.Sqrt(8) + shift;
        Assert.Equal(expected, evaluator.Evaluate(new SymbolMeaning(Quantity.InputRadius, "l4.body.l1")), expected * 1e-8);
    }

    [Fact]
    public void Unknown_paths_are_errors_naming_the_path()
    {
        (QuantityEvaluator evaluator, _, _) = Setup("vgg-like");
        var error = Assert.Throws<FimBounds.Core.Errors.InputException>(() => evaluator.Evaluate(new SymbolMeaning(Quantity.OperatorNorm, "nope")));
        Assert.Contains("nope", error.Message);
    }
}

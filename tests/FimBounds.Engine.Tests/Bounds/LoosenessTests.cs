using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// The looseness split at every input: each factor is at least 1 (a factor below 1 would mean a bound
/// below what it bounds: the softmax constant below λ_max(A), L below ‖PJ‖, a certified norm below an
/// attained one, or the local bound below λ_max(F)), and the factors multiply to the tightness.
/// </summary>
public sealed class LoosenessTests
{
    [Theory]
    [InlineData("densenet-like")]
    [InlineData("vit-like")]
    [InlineData("folds-like")]
    public void Factors_are_at_least_one_and_multiply_to_the_tightness(string name)
    {
        ArchitectureDescription description = TestNetworks.Describe(name);
        var model = new DescribedModel(description, seed: 91, weightScale: 2.0);
        Tensor inputs = TestTensors.Pixels(92, new[] { 8L }.Concat(description.Input.Dims.Select(d => (long)d)).ToArray());
        FimMeasurement measured = FimMeasurer.Measure(model, inputs, FimMethod.Exact);
        InstantiatedBound bound = BoundInstantiator.Instantiate(description, model, inputs);

        const double rounding = 1e-9;
        foreach (FimSample sample in measured.Samples)
        {
            Looseness split = Looseness.At(bound, sample) ?? throw new InvalidOperationException($"no split at input {sample.Index}");
            Assert.True(split.Softmax >= 1 - rounding, $"softmax {split.Softmax}");
            Assert.True(split.ConfidenceAwareSoftmax >= 1 - rounding && split.ConfidenceAwareSoftmax <= split.Softmax, $"confidence-aware {split.ConfidenceAwareSoftmax}");
            Assert.True(split.Lipschitz >= 1 - rounding, $"Lipschitz {split.Lipschitz}");
            Assert.True(split.Alignment >= 1 - 1e-6, $"alignment {split.Alignment}");
            Assert.True(split.Certificates >= 1 - rounding, $"certificates {split.Certificates}");
            Assert.Equal(split.Lipschitz, split.Certificates!.Value * split.Composition!.Value, split.Lipschitz * rounding);
            Assert.Equal(split.Tightness, split.Softmax * split.Lipschitz * split.Alignment, split.Tightness * 1e-8);
        }
        Looseness largest = Looseness.AtLargest(bound, measured)!;
        Assert.Equal(measured.Samples.Max(s => s.LambdaMax!.Value), largest.Measured);
        Assert.All(Looseness.LayerGaps(bound), g => Assert.True(g.CertificateGap is null or >= 1 - rounding, $"{g.Path}: gap {g.CertificateGap}"));
    }
}

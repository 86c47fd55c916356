using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>The instantiated bound sits above the exact measurement at every evaluated input: global, confidence-aware and local.</summary>
public sealed class BoundSoundnessTests
{
    public static TheoryData<string, double> Networks()
    {
        var data = new TheoryData<string, double>();
        foreach (string name in TestNetworks.Names)
        {
            data.Add(name, 1.0);
            data.Add(name, 3.0);   // larger weights: confident predictions, where c_p < ½ matters
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Bound_holds_at_every_input(string name, double weightScale)
    {
        ArchitectureDescription description = TestNetworks.Describe(name);
        var model = new DescribedModel(description, seed: 61, weightScale: weightScale);
        Tensor inputs = TestTensors.Pixels(62, new[] { 12L }.Concat(description.Input.Dims.Select(d => (long)d)).ToArray());

        FimMeasurement measured = FimMeasurer.Measure(model, inputs, FimMethod.Exact);
        InstantiatedBound bound = BoundInstantiator.Instantiate(description, model, inputs);
        BoundCheck check = bound.Check(measured);

        Assert.True(check.Holds, string.Join("; ", check.Violations.Select(v => $"input {v.Index}: {v.Bound} {v.BoundValue} < {v.Measured}")));
        Assert.All(measured.Samples, s => Assert.True(s.JacobianNorm <= bound.Lipschitz, $"‖J‖ {s.JacobianNorm} > L {bound.Lipschitz}"));
        Assert.True(measured.Samples.All(s => s.IsFinite));
    }

    [Fact]
    public void Assumptions_are_reported_with_their_source()
    {
        ArchitectureDescription description = TestNetworks.Describe("vit-like");
        var model = new DescribedModel(description, seed: 63);
        Tensor inputs = TestTensors.Pixels(64, 5, 1, 8, 8);

        InstantiatedBound calibrated = BoundInstantiator.Instantiate(description, model, inputs);
        InstantiatedBound worstCase = BoundInstantiator.Instantiate(description, model, calibrationInputs: null);

        Assert.Equal(3, calibrated.Assumptions.Count(a => a.Quantity == "TokenVarianceFloor"));
        Assert.All(calibrated.Assumptions.Where(a => a.Quantity == "TokenVarianceFloor"), a => Assert.Contains("measured", a.Source));
        Assert.All(worstCase.Assumptions.Where(a => a.Quantity == "TokenVarianceFloor"), a => Assert.Equal(0.0, a.Value));
        // A variance floor of 0 means the LayerNorm factor max|γ|/√ε: the worst-case bound is far larger.
        Assert.True(worstCase.Global > 100 * calibrated.Global);
    }
}

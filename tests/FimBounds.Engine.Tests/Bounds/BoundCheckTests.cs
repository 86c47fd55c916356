using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>The verdict logic: every kind of bound is checked at every finite input, with the method's evidence.</summary>
public sealed class BoundCheckTests
{
    private static InstantiatedBound Bound(double lipschitz) => new(
        "test", new ArchitectureBound("test", Core.Algebra.Expr.One, Core.Algebra.Expr.Half, Array.Empty<Core.Bounds.LayerFactor>(), Array.Empty<Assumption>()),
        lipschitz, 0.5 * lipschitz * lipschitz, 0.5 * lipschitz * lipschitz, Array.Empty<NumericFactor>(), Array.Empty<QuantityValue>(),
        Array.Empty<MeasuredAssumption>(), 0, 0);

    private static FimMeasurement Measurement(FimMethod method, params FimSample[] samples) => new(method, 10, 4, samples, 0);

    [Fact]
    public void A_measurement_above_the_global_bound_is_a_violation()
    {
        BoundCheck check = Bound(2).Check(Measurement(FimMethod.Exact,
            new FimSample { Index = 0, LambdaMax = 1.5, ConfidenceFactor = 0.5 },
            new FimSample { Index = 1, LambdaMax = 2.5, ConfidenceFactor = 0.5 }));
        Assert.False(check.Holds);
        Assert.All(check.Violations, v => Assert.Equal(1, v.Index));
        Assert.Contains(check.Violations, v => v.Bound == "global" && v.Measured == 2.5 && v.BoundValue == 2.0);
    }

    [Fact]
    public void Confident_inputs_are_held_to_the_confidence_aware_bound()
    {
        // c_p = 0.1: c_p·L² = 0.4 < 1 ≤ ½L² = 2.
        BoundCheck check = Bound(2).Check(Measurement(FimMethod.Exact, new FimSample { Index = 0, LambdaMax = 1.0, ConfidenceFactor = 0.1 }));
        Assert.Equal("confidence-aware", check.Violations.Single().Bound);
    }

    [Fact]
    public void The_local_bound_is_checked_when_known()
    {
        BoundCheck check = Bound(10).Check(Measurement(FimMethod.Exact, new FimSample { Index = 0, LambdaMax = 1.0, LocalBound = 0.9, ConfidenceFactor = 0.5 }));
        Assert.Equal("local", check.Violations.Single().Bound);
    }

    [Fact]
    public void Black_box_noise_is_judged_by_the_lower_end_of_its_interval_and_non_finite_inputs_are_skipped()
    {
        BoundCheck check = Bound(2).Check(Measurement(FimMethod.BlackBox,
            new FimSample { Index = 0, LambdaMax = 2.2, CiLow = 1.9, CiHigh = 2.5, ConfidenceFactor = 0.5 },
            new FimSample { Index = 1, Status = SampleStatus.NonFiniteLogits }));
        Assert.True(check.Holds);
        Assert.Equal(2.0 / 1.9, check.Slack, 12);
    }
}

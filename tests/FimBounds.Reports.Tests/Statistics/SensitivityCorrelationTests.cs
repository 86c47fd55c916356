using FimBounds.Reports.Model;
using FimBounds.Reports.Statistics;

namespace FimBounds.Reports.Tests.Statistics;

public sealed class SensitivityCorrelationTests
{
    [Fact]
    public void An_exact_power_law_gives_its_exponent_and_a_perfect_negative_rank_correlation()
    {
        // ε = 2 · λ^(−1/2): log10 ε = log10 2 − ½ log10 λ.
        var pairs = new[] { 0.01, 0.1, 1, 10, 100 }.Select(l => new InputSensitivity(l, 2 / Math.Sqrt(l))).ToList();
        var (correlation, trend) = SensitivityCorrelation.Compute(pairs);
        Assert.Equal(-1.0, correlation.Coefficient);
        Assert.Null(correlation.Lower); // |ρ| = 1 has no finite Fisher z
        Assert.Equal(-0.5, trend!.Slope, 12);
        Assert.Equal(Math.Log10(2), trend.Intercept, 12);
        Assert.Equal(5, trend.Points);
    }

    [Fact]
    public void Interval_by_Fisher_z_with_the_Bonett_Wright_error()
    {
        // x = 1…10, y swaps neighbours: Σd² = 10 → ρ = 1 − 60/990 = 0.93939…;
        // z = atanh ρ, se = √((1 + ρ²/2)/7), interval tanh(z ∓ 1.96·se) = [0.68768, 0.98950].
        double[] y = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9];
        var pairs = y.Select((e, i) => new InputSensitivity(i + 1, e)).ToList();
        var (c, _) = SensitivityCorrelation.Compute(pairs);
        Assert.Equal(0.9393939393939394, c.Coefficient!.Value, 12);
        Assert.Equal(0.687675376417027, c.Lower!.Value, 9);
        Assert.Equal(0.989501506000619, c.Upper!.Value, 9);
        Assert.Equal(0.95, c.Confidence);
        Assert.Equal(10, c.Pairs);
    }

    [Fact]
    public void Inputs_without_an_adversarial_example_or_with_zero_values_are_excluded_and_counted()
    {
        InputSensitivity[] pairs =
        [
            new(1, 0.3), new(2, 0.2), new(3, 0.1), new(4, 0.05),
            new(5, double.PositiveInfinity), new(6, null), new(0, 0.1), new(7, 0),
        ];
        var (c, _) = SensitivityCorrelation.Compute(pairs);
        Assert.Equal(4, c.Pairs);
        Assert.Equal(4, c.Excluded);
        Assert.Equal(-1.0, c.Coefficient);
    }

    [Fact]
    public void Too_few_pairs_leave_everything_undefined()
    {
        var (c, trend) = SensitivityCorrelation.Compute([new InputSensitivity(1, 0.1)]);
        Assert.Null(c.Coefficient);
        Assert.Null(c.Lower);
        Assert.Null(trend);
    }
}

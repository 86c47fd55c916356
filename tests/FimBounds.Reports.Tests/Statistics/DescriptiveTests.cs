using FimBounds.Reports.Statistics;

namespace FimBounds.Reports.Tests.Statistics;

public sealed class DescriptiveTests
{
    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        // Type 7: h = (n − 1)q. For [1, 2, 3, 4]: median h = 1.5 → 2.5; p95 h = 2.85 → 3.85.
        double[] values = [4, 1, 3, 2];
        Assert.Equal(2.5, Descriptive.Quantile(values, 0.5), 12);
        Assert.Equal(3.85, Descriptive.Quantile(values, 0.95), 12);
        Assert.Equal(1, Descriptive.Quantile(values, 0));
        Assert.Equal(4, Descriptive.Quantile(values, 1));
    }

    [Fact]
    public void Summary_of_a_sample()
    {
        var s = Descriptive.Summarize([0.8, 1.2, 2.5, 3.1, 4.0, 6.4]);
        Assert.Equal(6, s.Count);
        Assert.Equal(3.0, s.Mean, 12);
        Assert.Equal(2.8, s.Median, 12);      // (2.5 + 3.1) / 2
        Assert.Equal(5.8, s.P95, 12);         // h = 4.75: 4.0 + 0.75 · 2.4
        Assert.Equal(6.4, s.Max);
        Assert.Equal(0.8, s.Min);
        Assert.Equal(1.525, s.Q1, 12);        // h = 1.25: 1.2 + 0.25 · 1.3
        Assert.Equal([0.8, 1.2, 2.5, 3.1, 4.0, 6.4], s.Values);
    }

    [Fact]
    public void Mean_does_not_depend_on_the_order_of_the_inputs()
    {
        double[] values = [1e16, 1, -1e16, 3, 0.1, 0.2];
        Assert.Equal(Descriptive.Summarize(values).Mean, Descriptive.Summarize(values.Reverse().ToArray()).Mean);
    }

    [Fact]
    public void Empty_sample_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Descriptive.Summarize([]));
    }
}

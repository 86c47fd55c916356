using FimBounds.Reports.Formatting;

namespace FimBounds.Reports.Tests.Formatting;

public sealed class NumbersTests
{
    [Theory]
    [InlineData(0.123456, 0.1235)]
    [InlineData(123456.0, 123500.0)]
    [InlineData(1.0 / 3, 0.3333)]
    [InlineData(-2.71828, -2.718)]
    [InlineData(1.23456e-9, 1.235e-9)]
    [InlineData(-0.0, 0.0)]
    public void Rounds_to_four_significant_digits(double value, double expected)
    {
        Assert.Equal(expected, Numbers.Round(value));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(16.634375, "16.63")]
    [InlineData(106.46, "106.5")]
    [InlineData(2350.0, "2350")]
    [InlineData(0.5, "0.5")]
    [InlineData(1000.0, "1000")]
    [InlineData(0.001234567, "0.001235")]
    [InlineData(99999.0, "1e+05")]
    [InlineData(190000.0, "1.9e+05")]
    [InlineData(0.00012346, "1.235e-04")]
    [InlineData(-3.14159, "-3.142")]
    [InlineData(double.PositiveInfinity, "∞")]
    public void Formats_invariantly_in_fixed_or_scientific_notation(double value, string expected)
    {
        Assert.Equal(expected, Numbers.Format(value));
    }

    [Fact]
    public void Percent_rank_and_signed_forms()
    {
        Assert.Equal("87.53%", Numbers.Percent(0.87531));
        Assert.Equal("n/a", Numbers.Percent((double?)null));
        Assert.Equal("2.5", Numbers.Rank(2.5));
        Assert.Equal("4", Numbers.Rank(4));
        Assert.Equal("+0.6325", Numbers.Signed(0.632456));
        Assert.Equal("-1", Numbers.Signed(-1.0));
        Assert.Equal("n/a", Numbers.Signed(null));
        Assert.Equal("[-0.9, -0.1]", Numbers.Interval(-0.9, -0.1));
        Assert.Equal("25,418", Numbers.Count(25_418));
    }
}

using FimBounds.Core.Algebra;

namespace FimBounds.Core.Tests.Algebra;

public class NumberTests
{
    [Theory]
    [InlineData(0.229, 229, 1000)]
    [InlineData(1e-5, 1, 100000)]
    [InlineData(1.13, 113, 100)]
    [InlineData(-0.25, -1, 4)]
    [InlineData(3.0, 3, 1)]
    public void Short_decimals_are_exact(double value, long p, long q)
    {
        Number n = Number.FromDouble(value);
        Assert.True(n.IsExact);
        Assert.Equal((p, q), (n.Numerator, n.Denominator));
    }

    [Fact]
    public void Long_decimals_stay_doubles_and_round_trip_through_text()
    {
        Number n = Number.FromDouble(0.1 + 0.2);
        Assert.False(n.IsExact);
        Assert.Equal(n, Number.ParseDecimal(n.ToString()));
        Expr e = Expr.Num(0.1 + 0.2) * Expr.Sym("x");
        Assert.Equal(e, ExprParser.Parse(e.ToText()));
    }

    [Fact]
    public void Exact_rationals_with_long_parts_read_back_exactly()
    {
        // (5/4)^… prints as 7450580596923828125/18014398509481984; both parts are integer literals of more
        // than MaxExactDigits digits and must stay exact (CsCheck found the round trip reading a double).
        Number n = Number.Rational(7_450_580_596_923_828_125, 18_014_398_509_481_984);
        Expr e = Expr.Num(n) * Expr.Sym("x");
        Assert.Equal(e, ExprParser.Parse(e.ToText()));
        Assert.True(Number.ParseDecimal("7450580596923828125").IsExact);
        Assert.False(Number.ParseDecimal("74505805969238281250000").IsExact); // beyond a long: a double
    }

    [Fact]
    public void Overflowing_rationals_fall_back_to_doubles()
    {
        Number big = Number.Rational(1, 3_000_000_019);
        Number product = big * big * big;
        Assert.False(product.IsExact);
        double expected = Math.Pow(1.0 / 3_000_000_019, 3);
        Assert.True(Math.Abs(product.Value - expected) <= 1e-15 * expected);
    }

    [Theory]
    [InlineData("1E-05", "0.00001")]
    [InlineData("2.50", "5/2")]
    [InlineData("1/3", "1/3")]
    [InlineData("0.1", "0.1")]
    public void Literals(string literal, string text) => Assert.Equal(text, ExprParser.Parse(literal).ToText());
}

using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;

namespace FimBounds.Core.Tests.Algebra;

public class ExprBasicsTests
{
    private static readonly Expr X = Expr.Sym("x");
    private static readonly Expr Y = Expr.Sym("y");

    [Fact]
    public void Constants_fold_exactly() => Assert.Equal(Expr.Rational(5, 6), Expr.Rational(1, 2) + Expr.Rational(1, 3));

    [Fact]
    public void Like_terms_merge() => Assert.Equal(Expr.Mul(3, X), X + X + X);

    [Fact]
    public void Powers_of_a_base_merge() => Assert.Equal(Expr.Pow(X, 5), Expr.Pow(X, 2) * Expr.Pow(X, 3));

    [Fact]
    public void Sqrt_of_a_square_is_the_symbol() => Assert.Equal(X, Expr.Sqrt(Expr.Pow(X, 2)));

    [Fact]
    public void Square_of_a_surd_is_rational() => Assert.Equal(Expr.Half, Expr.Pow(Expr.Sqrt(Expr.Half), 2));

    [Fact]
    public void Perfect_squares_leave_the_root() => Assert.Equal(Expr.Mul(2, Expr.Sqrt(2)), Expr.Sqrt(8));

    [Fact]
    public void Sum_minus_itself_is_zero() => Assert.Equal(Expr.Zero, (X + Y) - (Y + X));

    [Fact]
    public void Order_of_operands_does_not_matter() => Assert.Equal(Expr.Mul(X, Y, 2) + 1, 1 + Expr.Mul(2, Y, X));

    [Fact]
    public void Products_keep_a_sum_whole_and_sums_spread_it() =>
        Assert.Equal("1 + 2*x + 2*y + 2*x*y - (x + y)^2", (1 + Expr.Mul(2, X, Y) - Expr.Pow(X + Y, 2) + Expr.Mul(2, X + Y)).ToText());

    [Fact]
    public void Max_folds_constants_and_drops_nonpositive_ones() => Assert.Equal(Expr.Max(X, 3), Expr.Max(1, X, Expr.Max(3, X), -2));

    [Fact]
    public void Evaluate_names_the_missing_symbol()
    {
        var e = X + Expr.Sym("sigma_features.0");
        var error = Assert.Throws<MissingSymbolException>(() => e.Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Equal("sigma_features.0", error.Symbol);
        Assert.Contains("sigma_features.0", error.Message);
        Assert.Contains("OperatorNorm of layer 'features.0'", error.Message);
    }

    [Fact]
    public void Evaluate_matches_the_formula()
    {
        var e = Expr.Sqrt(1 + Expr.Pow(X * Y, 2)) / Y + Expr.Max(X, Y);
        var values = new Dictionary<string, double> { ["x"] = 0.7, ["y"] = 1.9 };
        double expected = Math.Sqrt(1 + Math.Pow(0.7 * 1.9, 2)) / 1.9 + 1.9;
        Assert.Equal(expected, e.Evaluate(values), 12);
    }

    [Fact]
    public void Interval_evaluation_encloses_the_value()
    {
        var e = Expr.Mul(Expr.Rational(1, 3), Expr.Pow(X, 2)) + Expr.Sqrt(Y);
        var enclosure = e.EvaluateInterval(new Dictionary<string, Interval> { ["x"] = new(1.0, 1.2), ["y"] = new(3.9, 4.1) });
        Assert.True(enclosure.Contains(1.0 / 3 + 2));
        Assert.True(enclosure.Contains(1.44 / 3 + Math.Sqrt(4.1)));
        Assert.True(enclosure.Hi >= 1.44 / 3 + Math.Sqrt(4.1));
        Assert.True(enclosure.Lo <= 1.0 / 3 + Math.Sqrt(3.9));
    }

    [Fact]
    public void Symbol_meaning_is_recovered_from_its_name()
    {
        var s = Expr.Sym("sigmaV_encoder.layers.encoder_layer_0.self_attention[3]");
        Assert.Equal(new SymbolMeaning(Quantity.AttentionValueNorm, "encoder.layers.encoder_layer_0.self_attention", 3), s.Meaning);
        Assert.Null(Expr.Sym("s").Meaning);
    }

    [Fact]
    public void Parse_reattaches_meanings_by_name()
    {
        var meaning = new SymbolMeaning(Quantity.InputRadius, "attn");
        var e = ExprParser.Parse("2*r", new Dictionary<string, SymbolMeaning> { ["r"] = meaning });
        Assert.Equal(meaning, e.Symbols().Single().Meaning);
    }

    [Fact]
    public void Parse_reports_the_position_of_a_mistake()
    {
        var error = Assert.Throws<ExpressionSyntaxException>(() => ExprParser.Parse("1 + * x"));
        Assert.Equal(4, error.Position);
    }

    [Theory]
    [InlineData("1/2*x^2", "1/2*x^2")]
    [InlineData("x - y", "x - y")]
    [InlineData("-(x + y)", "-(x + y)")]
    [InlineData("x/(2*y)", "x/(2*y)")]
    [InlineData("sqrt(x*y)", "sqrt(x)*sqrt(y)")]
    [InlineData("1.13*x", "1.13*x")]
    [InlineData("x^(1/3)", "x^(1/3)")]
    [InlineData("0.00001 + x", "0.00001 + x")]
    [InlineData("max(x, 1) + min(y, 2)", "max(1, x) + min(2, y)")]
    [InlineData("2^-1", "1/2")]
    [InlineData("1/sqrt(8)", "1/4*sqrt(2)")]
    public void Text_form(string input, string expected) => Assert.Equal(expected, ExprParser.Parse(input).ToText());
}

using FimBounds.Core.Algebra;

namespace FimBounds.Core.Tests.Algebra;

public class ComparisonTests
{
    private static readonly Expr S = Expr.Sym("s");
    private static readonly Dictionary<string, double> None = new();

    [Fact]
    public void Finds_the_crossover_and_the_asymptotic_order()
    {
        // s² = 2s at s = 2; s² grows faster.
        var c = BoundComparison.Compare(Expr.Pow(S, 2), 2 * S, "s", None, 0.1, 10);
        Assert.Equal(2.0, Assert.Single(c.Crossovers), 9);
        Assert.Equal(1, c.AsymptoticSign);
        Assert.Equal(-1, c.SignAt(1, None));
        Assert.Equal(1, c.SignAt(3, None));
        Assert.Equal(ExprParser.Parse("s/2"), c.Ratio);
    }

    [Fact]
    public void Proportional_bounds_have_a_constant_exact_ratio_and_no_crossover()
    {
        var c = BoundComparison.Compare(Expr.Mul(3, Expr.Pow(1 + S, 2)), Expr.Pow(1 + S, 2), "s", None, 0.1, 10);
        Assert.Equal(Expr.Num(3), c.Ratio);
        Assert.Empty(c.Crossovers);
        Assert.Equal(1, c.AsymptoticSign);
    }

    [Theory]
    [InlineData("sqrt(1 + 4*s^4*b^4)", 2.0, "2")]
    [InlineData("(s*b + s^2*b^2)^2", 1.0, "4")]
    [InlineData("1/2*s^32", 0.5, "32")]
    [InlineData("s*(sqrt(197) + 197*s^2)", 197.0, "3")]
    [InlineData("max(s^2, 3*s^3)", 3.0, "3")]
    [InlineData("sqrt(s)/(1 + s)", 1.0, "-1/2")]
    public void Leading_terms(string text, double coefficient, string exponent)
    {
        Assert.True(LeadingTerm.TryFind(ExprParser.Parse(text), "s", new Dictionary<string, double> { ["b"] = 1 }, out LeadingTerm t));
        Assert.Equal(coefficient, t.Coefficient, 12);
        Assert.Equal(((NumberExpr)ExprParser.Parse(exponent)).Value, t.Exponent);
    }

    [Fact]
    public void Cancelling_leading_terms_are_reported_not_guessed()
    {
        Expr e = Expr.Sub(Expr.Pow(1 + S, 2), Expr.Pow(S, 2));
        Assert.False(LeadingTerm.TryFind(e, "s", None, out _));
    }

    [Fact]
    public void Log_evaluation_does_not_overflow()
    {
        Expr huge = Expr.Mul(Expr.Num(1e200), Expr.Pow(S, 300));
        Assert.True(LogEvaluator.TryLog(huge, new Dictionary<string, double> { ["s"] = 100 }, out double log));
        Assert.Equal(200 * Math.Log(10) + 300 * Math.Log(100), log, 9);
    }
}

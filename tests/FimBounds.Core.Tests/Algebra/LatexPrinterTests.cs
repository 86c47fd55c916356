using FimBounds.Core.Algebra;

namespace FimBounds.Core.Tests.Algebra;

/// <summary>Expression (text form) → exact LaTeX.</summary>
public class LatexPrinterTests
{
    [Theory]
    [InlineData("x + y", "x + y")]
    [InlineData("x - 2*y", "x - 2 y")]
    [InlineData("1/2*x^2", @"\frac{1}{2} x^{2}")]
    [InlineData("x/y", @"\frac{x}{y}")]
    [InlineData("x/(2*y)", @"\frac{x}{2 y}")]
    [InlineData("3*x/(2*y)", @"\frac{3 x}{2 y}")]
    [InlineData("1/x", @"\frac{1}{x}")]
    [InlineData("(x + y)^2", @"\left(x + y\right)^{2}")]
    [InlineData("(x*y)^d", "x^{d} y^{d}")]
    [InlineData("sqrt(1 + x^2)", @"\sqrt{1 + x^{2}}")]
    [InlineData("x^(1/3)", @"\sqrt[3]{x}")]
    [InlineData("x^(2/3)", "x^{2/3}")]
    [InlineData("x^(3/2)", "x^{3/2}")]
    [InlineData("2*sqrt(2)", @"2 \sqrt{2}")]
    [InlineData("2*3^x", @"2 \cdot 3^{x}")]
    [InlineData("-x", "-x")]
    [InlineData("-1/4", @"-\frac{1}{4}")]
    [InlineData("1.13*x", "1.13 x")]
    [InlineData("1/sqrt(0.00001 + v)", @"\frac{1}{\sqrt{10^{-5} + v}}")]
    [InlineData("max(1, x) + abs(x - y)", @"\max\left(1, x\right) + \left|x - y\right|")]
    [InlineData("sigma*beta", @"\beta \sigma")]
    [InlineData("s_l^2", "s_{l}^{2}")]
    [InlineData("depth*s", @"\mathrm{depth} s")]
    [InlineData("sigma_features.0^2", @"\sigma_{\mathrm{features.0}}^{2}")]
    [InlineData("sigmaV_attn[2]", @"\sigma^{V}_{\mathrm{attn},2}")]
    [InlineData("vmin_encoder.ln_1", @"v^{\min}_{\mathrm{encoder.ln\_1}}")]
    [InlineData("gamma_ln*sqrt(768) + shift_ln", @"16 \sqrt{3} \gamma_{\mathrm{ln}} + \lVert b \rVert_{\mathrm{ln}}")]
    public void Prints(string text, string latex) => Assert.Equal(latex, ExprParser.Parse(text).ToLatex());

    [Fact]
    public void Runs_of_identically_shaped_factors_print_as_indexed_products()
    {
        Expr e = ExprParser.Parse("1/2*sigma_f.0^2*sigma_f.3^2*sigma_f.6^2*beta_f.1^2*beta_f.4^2*beta_f.7^2");
        Assert.Equal(@"\frac{1}{2} \prod_{l=1}^{3} \beta_{l}^{2} \sigma_{l}^{2}", e.ToLatex());
    }

    [Fact]
    public void Indexed_products_distinguish_several_symbols_of_one_quantity()
    {
        Expr e = ExprParser.Parse("(1 + sigma_a.1*sigma_a.2)^2*(1 + sigma_b.1*sigma_b.2)^2*(1 + sigma_c.1*sigma_c.2)^2*sigma_fc^2");
        Assert.Equal(@"\sigma_{\mathrm{fc}}^{2} \prod_{l=1}^{3} \left(1 + \sigma_{l,1} \sigma_{l,2}\right)^{2}", e.ToLatex());
    }

    [Fact]
    public void Short_runs_and_the_expanded_option_print_every_factor()
    {
        Expr e = ExprParser.Parse("sigma_a^2*sigma_b^2");
        Assert.Equal(@"\sigma_{\mathrm{a}}^{2} \sigma_{\mathrm{b}}^{2}", e.ToLatex());
        Expr f = ExprParser.Parse("sigma_a*sigma_b*sigma_c");
        Assert.Equal(@"\sigma_{\mathrm{a}} \sigma_{\mathrm{b}} \sigma_{\mathrm{c}}", f.ToLatex(LatexOptions.Expanded));
        Assert.Equal(@"\prod_{l=1}^{3} \sigma_{l}", f.ToLatex());
    }
}

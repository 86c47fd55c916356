using System.Text.Json;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests;

/// <summary>`fimbounds bound`: the compile-time bound of a spec as text, LaTeX or JSON; unknown names are usage errors.</summary>
public sealed class BoundCommandTests
{
    [Fact]
    public void Text_gives_the_bound_every_layer_factor_and_the_assumptions()
    {
        var (code, output, error) = Run("bound", "vit-mini");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal("vit-mini: lambda_max(F(x)) <= " + FimBounds.Zoo.VitMini.FimBoundText, lines[0]);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("conv_proj [patchembedding]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("encoder.layers.encoder_layer_1.self_attention [multiheadattention]", StringComparison.Ordinal));
        Assert.Contains("assumptions:", lines);
    }

    [Fact]
    public void Latex_is_one_formula_with_the_generated_bound()
    {
        var (code, output, _) = Run("bound", "resnet18", "--format", "latex");
        Assert.Equal(0, code);
        Assert.Equal(@"\lambda_{\max}(F(x)) \le " + FimBounds.Zoo.ResNet18.FimBoundLatex, output.Trim());
    }

    [Fact]
    public void Json_has_spec_text_latex_and_one_factor_per_layer()
    {
        var (code, output, _) = Run("bound", "vgg-mini", "--format", "json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("vgg-mini", root.GetProperty("spec").GetString());
        Assert.Equal(FimBounds.Zoo.VggMini.FimBoundText, root.GetProperty("text").GetString());
        Assert.Equal(FimBounds.Zoo.VggMini.FimBoundLatex, root.GetProperty("latex").GetString());
        JsonElement[] factors = root.GetProperty("factors").EnumerateArray().ToArray();
        int primitiveLayers = FimBounds.Zoo.VggMini.Architecture.PrimitiveLayers().Count();
        Assert.Equal(primitiveLayers, factors.Length);
        JsonElement conv = factors.Single(f => f.GetProperty("layer").GetString() == "features.0");
        Assert.Equal("conv2d", conv.GetProperty("kind").GetString());
        Assert.Equal("sigma_features.0", conv.GetProperty("symbol").GetString());
        Assert.Contains("sigma", conv.GetProperty("latex").GetString());
    }

    [Fact]
    public void An_unknown_spec_exits_2_and_lists_the_known_names()
    {
        var (code, output, error) = Run("bound", "resnet50");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown spec 'resnet50'", error);
        Assert.Contains("the zoo: densenet-mini, densenet121, resnet-mini, resnet18", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void An_unknown_format_exits_2()
    {
        var (code, _, error) = Run("bound", "vgg-mini", "--format", "xml");
        Assert.Equal(2, code);
        Assert.Contains("xml", error);
    }
}

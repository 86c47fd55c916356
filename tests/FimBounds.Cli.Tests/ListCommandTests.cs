using System.Text.Json;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests;

/// <summary>`fimbounds list`: every zoo spec, as a table or as JSON.</summary>
public sealed class ListCommandTests
{
    [Fact]
    public void List_prints_one_row_per_spec_with_its_parameter_count()
    {
        var (code, output, error) = Run("list");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("name", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("resnet18 ", StringComparison.Ordinal) && l.Contains("3×224×224") && l.Contains("11,689,512"));
        Assert.Contains(lines, l => l.StartsWith("vit-mini ", StringComparison.Ordinal) && l.Contains("1×28×28") && l.Contains("Transformer"));
    }

    [Fact]
    public void List_json_has_every_field_for_every_spec()
    {
        var (code, output, _) = Run("list", "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] specs = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(10, specs.Length);
        JsonElement vgg16 = specs.Single(s => s.GetProperty("name").GetString() == "vgg16");
        Assert.Equal("Vgg", vgg16.GetProperty("family").GetString());
        Assert.Equal(new[] { 3, 224, 224 }, vgg16.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1000, vgg16.GetProperty("classes").GetInt32());
        Assert.Equal(138_357_544, vgg16.GetProperty("parameters").GetInt64());
        Assert.Equal(16, vgg16.GetProperty("weightLayers").GetInt32());
        Assert.True(vgg16.GetProperty("layers").GetInt32() > 16);
    }
}

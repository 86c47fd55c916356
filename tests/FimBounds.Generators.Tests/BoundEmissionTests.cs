using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;

namespace FimBounds.Generators.Tests;

/// <summary>
/// The bound the generator compiled in is the one the shared rules derive at run time from the generated
/// description (one source of truth), it parses back, and its symbols name layers that exist.
/// </summary>
public sealed class BoundEmissionTests
{
    public static TheoryData<string> Specs => new(ZooCatalog.Names);

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_compiled_bound_is_the_rules_bound_of_the_description(string name)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        ArchitectureBound bound = BoundDeriver.Derive(spec.Description);
        Assert.Equal(bound.FimBound.ToText(), spec.BoundText);
        Assert.Equal(bound.FimBound.ToLatex(), spec.BoundLatex);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_text_form_parses_back_to_the_same_expression(string name)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        Expr parsed = ExprParser.Parse(spec.BoundText);
        Assert.Equal(spec.BoundText, parsed.ToText());
        Assert.Equal(BoundDeriver.Derive(spec.Description).FimBound, parsed);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_symbol_names_a_layer_of_the_description(string name)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        var paths = spec.Description.AllLayers().Select(l => l.Path).ToHashSet();
        // …or a fold of its layers (a linear map with the BatchNorm/LayerNorm scales folded in).
        LinearFolds folds = LinearFolds.Of(spec.Description.Network);
        var symbols = BoundDeriver.Derive(spec.Description).Symbols().ToList();
        Assert.NotEmpty(symbols);
        Assert.All(symbols, s => Assert.True(
            s.Meaning is not null && (paths.Contains(s.Meaning.LayerPath) || folds.ByComposite(s.Meaning.LayerPath) is not null),
            $"{name}: symbol {s.Name} names no layer"));
    }

    [Fact]
    public void Deeper_and_wider_specs_get_different_bounds()
    {
        Assert.NotEqual(Vgg11.FimBoundText, Vgg16.FimBoundText);
        Assert.NotEqual(ResNet18.FimBoundText, ResNet34.FimBoundText);
        Assert.Equal(16, Vgg16.FimBoundText.Split("sigma_").Length - 1);
    }
}

using FimBounds.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FimBounds.Generators.Tests;

/// <summary>One test per diagnostic code: the id, a message naming the problem and the fix, and the exact location.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using FimBounds.Spec;\nnamespace Specs;\n";

    /// <summary>The one diagnostic the generator reports for the source, and the source text its location covers.</summary>
    private static (Diagnostic Diagnostic, string Located, int Start) Single(string source, string id)
    {
        string text = Usings + source;
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(text));
        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Spec0.cs", diagnostic.Location.GetLineSpan().Path);
        var span = diagnostic.Location.SourceSpan;
        return (diagnostic, text.Substring(span.Start, span.Length), span.Start);
    }

    [Fact]
    public void A_valid_spec_has_no_diagnostics_and_its_source_compiles()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(Usings + """
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3)] [ReLU] [Flatten] [Classifier]
            public partial class Tiny;
            """));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors.Select(d => d.ToString()));
        Assert.Equal(new[] { "Specs.Tiny.g.cs", "Specs.ZooCatalog.g.cs" }, outcome.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FIMB001_a_spec_class_that_is_not_partial()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Flatten] [Classifier]
            public class Tiny { }
            """, "FIMB001");
        Assert.Equal("Tiny", located);
        Assert.Contains("must be declared 'partial'", d.GetMessage());
    }

    [Fact]
    public void FIMB002_a_linear_layer_on_an_image_reports_the_inferred_shape()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3)] [Linear(10)] [Classifier]
            public partial class Tiny;
            """, "FIMB002");
        Assert.Equal("Linear(10)", located);
        Assert.Contains("4×6×6", d.GetMessage());
        Assert.Contains("add [Flatten]", d.GetMessage());
    }

    [Fact]
    public void FIMB003_groups_that_do_not_divide_the_channels_point_at_the_argument()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3, Groups = 3)] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB003");
        Assert.Equal("Groups = 3", located);
        Assert.Contains("must divide both the input channels (1) and the output channels (4)", d.GetMessage());
    }

    [Fact]
    public void FIMB003_a_block_parameter_outside_any_block()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(BlockParam.Channels, 3)] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB003");
        Assert.Equal("BlockParam.Channels", located);
        Assert.Contains("only has a value inside a block", d.GetMessage());
    }

    [Theory]
    [InlineData("VGG_Mini")]
    [InlineData("vgg--mini")]
    [InlineData("-vgg")]
    [InlineData("")]
    public void FIMB003_a_spec_name_that_is_not_lower_case_with_single_dashes(string name)
    {
        var (d, located, _) = Single($$"""
            [Architecture("{{name}}", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB003");
        Assert.Equal($"\"{name}\"", located);
        Assert.Contains("lower-case letters and digits separated by single dashes", d.GetMessage());
    }

    [Fact]
    public void FIMB003_a_layer_name_that_cannot_be_a_state_dict_segment()
    {
        var (_, located, _) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Flatten(Name = "a.b")] [Classifier]
            public partial class Tiny;
            """, "FIMB003");
        Assert.Equal("Name = \"a.b\"", located);
    }

    [Fact]
    public void FIMB004_a_layer_after_the_classifier()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Flatten] [Classifier] [ReLU]
            public partial class Tiny;
            """, "FIMB004");
        Assert.Equal("ReLU", located);
        Assert.Contains("classifier must be the last layer", d.GetMessage());
    }

    [Fact]
    public void FIMB005_a_block_repeated_zero_times()
    {
        var (d, located, start) = Single("""
            [Block] [Conv2d(4, 3, Padding = 1)] public sealed class B;
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Repeat(typeof(B), 0, Name = "blocks")] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB005");
        Assert.Equal("0", located);
        Assert.Contains("repeat a block at least once", d.GetMessage());
    }

    [Fact]
    public void FIMB005_a_block_without_layers()
    {
        var (d, located, start) = Single("""
            [Block] public sealed class Empty;
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Use(typeof(Empty), Name = "e")] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB005");
        Assert.Equal("Use(typeof(Empty), Name = \"e\")", located);
    }

    [Fact]
    public void FIMB006_a_class_used_as_a_block_that_is_not_marked_as_one()
    {
        var (d, located, start) = Single("""
            [Conv2d(4, 3)] public sealed class NotABlock;
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Use(typeof(NotABlock))] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB006");
        Assert.Equal("Use(typeof(NotABlock))", located);
        Assert.Contains("mark it [Block] or [ResidualBlock]", d.GetMessage());
    }

    [Fact]
    public void FIMB006_a_residual_block_as_a_dense_layer()
    {
        var (d, located, start) = Single("""
            [ResidualBlock] [Conv2d(4, 3, Padding = 1)] public sealed class R;
            [Architecture("tiny", Input = new[] { 4, 8, 8 }, Classes = 3)]
            [DenseBlock(typeof(R), 2, Name = "dense")] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB006");
        Assert.StartsWith("DenseBlock(typeof(R)", located);
    }

    [Fact]
    public void FIMB007_two_layers_with_one_name()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [ReLU(Name = "act")] [Tanh(Name = "act")] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB007");
        Assert.Equal("Name = \"act\"", located);
        Assert.True(start > (Usings + "[Architecture(\"tiny\", Input = new[] { 1, 8, 8 }, Classes = 3)]\n[ReLU(Name = \"act\")] [Tanh").Length, "points at the second use");
    }

    [Fact]
    public void FIMB008_two_specs_with_one_name()
    {
        var (d, located, start) = Single("""
            [Architecture("same", Input = new[] { 1, 8, 8 }, Classes = 3)] [Flatten] [Classifier] public partial class First;
            [Architecture("same", Input = new[] { 1, 8, 8 }, Classes = 3)] [Flatten] [Classifier] public partial class Second;
            """, "FIMB008");
        Assert.Equal("\"same\"", located);
        Assert.Contains("Specs.First and Specs.Second", d.GetMessage());
    }

    [Fact]
    public void An_identity_shortcut_across_a_shape_change_is_a_shape_mismatch_at_the_usage()
    {
        var (d, located, start) = Single("""
            [ResidualBlock(Shortcut = Shortcut.Identity)] [Conv2d(8, 3, Padding = 1)] public sealed class R;
            [Architecture("tiny", Input = new[] { 4, 8, 8 }, Classes = 3)]
            [Use(typeof(R), Name = "block")] [Flatten] [Classifier]
            public partial class Tiny;
            """, "FIMB002");
        Assert.Equal("Use(typeof(R), Name = \"block\")", located);
        Assert.Contains("4×8×8", d.GetMessage());
        Assert.Contains("8×8×8", d.GetMessage());
    }

    [Fact]
    public void A_spec_that_does_not_end_in_class_logits_is_a_shape_mismatch_at_the_architecture()
    {
        var (d, located, start) = Single("""
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Flatten] [Linear(5)]
            public partial class Tiny;
            """, "FIMB002");
        Assert.StartsWith("Architecture(\"tiny\"", located);
        Assert.Contains("end the spec with [Classifier]", d.GetMessage());
    }
}

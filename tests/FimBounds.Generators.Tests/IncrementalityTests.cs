extern alias generator;
using System.Collections;
using System.Reflection;
using FimBounds.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FimBounds.Generators.Tests;

/// <summary>
/// The pipeline caches: a second run, or an edit elsewhere, re-executes nothing that matters; an edit of one spec
/// regenerates that spec only; and no step output holds a symbol, syntax node or compilation.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    {
        "Declarations", "Built", "Specs", "Bounded", "CatalogEntries", "RootNamespace", "Catalog",
    };

    private static CSharpCompilation Zoo() => GeneratorHarness.Compile(GeneratorHarness.ZooSources());

    private static GeneratorRunResult Rerun(CSharpCompilation first, CSharpCompilation second)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (string step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} is not tracked");
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
        var outputReasons = result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.All(outputReasons, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Running_twice_on_the_same_input_is_fully_cached()
    {
        CSharpCompilation zoo = Zoo();
        AssertAllCached(Rerun(zoo, zoo.Clone()));
    }

    [Fact]
    public void An_unrelated_edit_is_fully_cached()
    {
        CSharpCompilation zoo = Zoo();
        CSharpCompilation edited = zoo.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace FimBounds.Zoo; internal static class Unrelated { public const int Answer = 42; }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        AssertAllCached(Rerun(zoo, edited));
    }

    [Fact]
    public void Editing_one_spec_regenerates_that_spec_only()
    {
        CSharpCompilation zoo = Zoo();
        SyntaxTree vgg = zoo.SyntaxTrees.Single(t => t.FilePath == "Vgg.cs");
        string text = vgg.ToString();
        Assert.Contains("[Linear(64)] [ReLU] [Dropout(0.25)]", text);
        CSharpCompilation edited = zoo.ReplaceSyntaxTree(vgg, CSharpSyntaxTree.ParseText(
            text.Replace("[Linear(64)] [ReLU] [Dropout(0.25)]", "[Linear(64)] [ReLU] [Dropout(0.3)]"), GeneratorHarness.ParseOptions, path: "Vgg.cs"));

        GeneratorRunResult result = Rerun(zoo, edited);
        var built = result.TrackedSteps["Built"].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(1, built.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(9, built.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var catalog = result.TrackedSteps["CatalogEntries"].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.All(catalog, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Contains("0.3", result.GeneratedSources.Single(s => s.HintName == "FimBounds.Zoo.VggMini.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Editing_a_block_in_another_file_regenerates_the_spec_that_uses_it()
    {
        const string spec = """
            using FimBounds.Spec;
            namespace Specs;
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Use(typeof(Body), Name = "body")] [Flatten] [Classifier]
            public partial class Tiny;
            """;
        const string block = "using FimBounds.Spec; namespace Specs; [Block] [Conv2d(4, 3)] public sealed class Body;";
        CSharpCompilation before = GeneratorHarness.Compile(new[] { ("Tiny.cs", spec), ("Body.cs", block) }, "Specs");
        SyntaxTree body = before.SyntaxTrees.Single(t => t.FilePath == "Body.cs");
        CSharpCompilation after = before.ReplaceSyntaxTree(body, CSharpSyntaxTree.ParseText(block.Replace("Conv2d(4, 3)", "Conv2d(6, 3)"), GeneratorHarness.ParseOptions, path: "Body.cs"));

        GeneratorRunResult result = Rerun(before, after);
        string generated = result.GeneratedSources.Single(s => s.HintName == "Specs.Tiny.g.cs").SourceText.ToString();
        Assert.Contains("FimTorch.nn.Conv2d(1, 6, 3", generated);
        Assert.DoesNotContain("FimTorch.nn.Conv2d(1, 4, 3", generated);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation()
    {
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(Zoo()).GetRunResult().Results.Single();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (string step in TrackedSteps)
        {
            foreach (object value in result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value))
            {
                Walk(value, step, visited);
            }
        }
        Assert.NotEmpty(visited);
    }

    [Fact]
    public void The_walk_does_find_a_held_compilation_or_symbol()
    {
        CSharpCompilation zoo = Zoo();
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Walk(new List<object> { 1, new { Held = zoo } }, "probe", new HashSet<object>(ReferenceEqualityComparer.Instance)));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Walk(Tuple.Create("x", zoo.GlobalNamespace), "probe", new HashSet<object>(ReferenceEqualityComparer.Instance)));
    }

    private static void Walk(object? value, string where, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value is Enum || value is decimal)
        {
            return;
        }
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree,
            $"{where} holds a {value.GetType().FullName}");
        Assert.False(value is Location { IsInSource: true }, $"{where} holds a source Location (it keeps the syntax tree alive)");
        if (!value.GetType().IsValueType && !visited.Add(value))
        {
            return;
        }
        if (value is DiagnosticDescriptor)
        {
            return; // an immutable static descriptor
        }
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                Walk(item, where + "[]", visited);
            }
        }
        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), where + "." + field.Name, visited);
            }
        }
    }
}

using FimBounds.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FimBounds.Generators.Tests;

/// <summary>The zoo through the generator in memory: it compiles, and every generated file is the approved one.</summary>
public sealed class ZooGenerationTests
{
    private static readonly Lazy<GeneratorOutcome> Zoo = new(() => GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.ZooSources())));

    private static string Folder => Path.Combine(RepositoryPaths.Snapshots, "Zoo");

    [Fact]
    public void The_zoo_and_its_generated_code_compile_without_errors_or_diagnostics()
    {
        Assert.Empty(Zoo.Value.GeneratorDiagnostics);
        Assert.Empty(Zoo.Value.CompilationErrors.Select(d => d.ToString()));
    }

    [Fact]
    public void One_file_per_spec_plus_the_catalog_is_generated()
    {
        string[] expected =
        {
            "FimBounds.Zoo.DenseNet121.g.cs", "FimBounds.Zoo.DenseNetMini.g.cs", "FimBounds.Zoo.ResNet18.g.cs",
            "FimBounds.Zoo.ResNet34.g.cs", "FimBounds.Zoo.ResNetMini.g.cs", "FimBounds.Zoo.Vgg11.g.cs",
            "FimBounds.Zoo.Vgg16.g.cs", "FimBounds.Zoo.VggMini.g.cs", "FimBounds.Zoo.VitB16.g.cs",
            "FimBounds.Zoo.VitMini.g.cs", "FimBounds.Zoo.ZooCatalog.g.cs",
        };
        Assert.Equal(expected, Zoo.Value.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_generated_files_are_exactly_the_approved_snapshots()
    {
        IReadOnlySet<string> generated = Zoo.Value.Sources.Select(s => s.HintName).ToHashSet();
        IReadOnlySet<string> approved = Snapshots.Approved(Folder);
        var failures = Zoo.Value.Sources
            .Select(s => Snapshots.Check(Folder, s.HintName, s.SourceText.ToString()))
            .Where(f => f is not null)
            .ToList();
        failures.AddRange(approved.Except(generated).Select(stale => $"{stale}: approved but no longer generated; delete the approved file"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Generated_sources_are_the_same_on_every_run()
    {
        GeneratorOutcome again = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.ZooSources()));
        Assert.Equal(
            Zoo.Value.Sources.Select(s => (s.HintName, s.SourceText.ToString())),
            again.Sources.Select(s => (s.HintName, s.SourceText.ToString())));
    }
}

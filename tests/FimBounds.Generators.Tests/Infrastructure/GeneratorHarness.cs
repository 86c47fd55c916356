extern alias generator;
using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FimBounds.Generators.Tests.Infrastructure;

/// <summary>Runs the spec generator on in-memory compilations against the real reference assemblies.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Cast<MetadataReference>()
        .Concat(new[]
        {
            typeof(FimBounds.Spec.ArchitectureAttribute),
            typeof(FimBounds.Core.Architecture.ArchitectureDescription),
            typeof(FimBounds.Nn.Specs.IModelSpec),
            typeof(TorchSharp.torch),
        }.Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location)))
        .ToImmutableArray();

    public static IReadOnlyList<(string Path, string Text)> ZooSources() =>
        Directory.GetFiles(RepositoryPaths.ZooSources, "*.cs")
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(p), File.ReadAllText(p)))
            .ToList();

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, string assemblyName = "FimBounds.Zoo") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, path: s.Path)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static CSharpCompilation Compile(params string[] sources) =>
        Compile(sources.Select((text, i) => ($"Spec{i}.cs", text)), assemblyName: "Specs");

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new generator::FimBounds.Generators.SpecGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutcome Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorOutcome(driver, driver.GetRunResult(), output, diagnostics);
    }
}

internal sealed record GeneratorOutcome(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IReadOnlyList<GeneratedSourceResult> Sources => Result.Results.Single().GeneratedSources;

    public IEnumerable<Diagnostic> CompilationErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}

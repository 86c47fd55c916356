using System.Reflection;
using FimBounds.Nn.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests.Interop;

/// <summary>
/// A spec assembly built against another FimBounds is one line and exit 1, never a type-load stack trace.
/// The test really builds such assemblies (with Roslyn, to disk) and hands them to 'fimbounds list
/// --specs': a stand-in FimBounds assembly with another version and its own IModelSpec, and a user
/// assembly whose spec class implements that IModelSpec — what a spec project restored against another
/// FimBounds package looks like to this process.
/// </summary>
public sealed class IncompatibleSpecsTests : IDisposable
{
    private static readonly Version Ours = typeof(IModelSpec).Assembly.GetName().Version!;

    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-incompatible-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("FimBounds.Nn", "9.0.0.0")]
    [InlineData("FimBounds.Core", "0.0.9.0")]
    public void A_spec_assembly_built_against_another_FimBounds_version_names_both_versions(string standIn, string version)
    {
        string specs = BuildSpecAssembly(standIn, new Version(version));

        var (code, output, error) = Run("list", "--specs", specs);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"fimbounds: {specs}: built against FimBounds {new Version(version).ToString(3)}, but this fimbounds is {Ours.ToString(3)}. Reference FimBounds {Ours.ToString(3)} and rebuild it.",
            error.Trim());
    }

    [Fact]
    public void A_spec_assembly_of_the_same_version_whose_contract_differs_fails_to_load_in_one_line()
    {
        // Same version number, another IModelSpec (a local build of a changed FimBounds): the version check
        // cannot see it, so the loader's own failure must be caught and said in one line.
        string specs = BuildSpecAssembly("FimBounds.Nn", Ours);

        var (code, _, error) = Run("list", "--specs", specs);

        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"fimbounds: {specs}: its specs do not load into this fimbounds (", error);
        Assert.Contains("does not have an implementation", error);
        Assert.EndsWith($"Rebuild it against FimBounds {Ours.ToString(3)}.", error.Trim());
    }

    /// <summary>
    /// Emits <paramref name="standIn"/> (version <paramref name="version"/>, declaring its own
    /// Specs.IModelSpec) beside a user assembly UserSpecs.dll whose spec class implements it; returns the latter.
    /// </summary>
    private string BuildSpecAssembly(string standIn, Version version)
    {
        MetadataReference[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
        string standInPath = Emit(standIn, $$"""
            [assembly: System.Reflection.AssemblyVersion("{{version}}")]
            namespace {{standIn}}.Specs;
            public interface IModelSpec { string Name { get; } }
            """, platform);
        return Emit("UserSpecs", $$"""
            namespace UserSpecs;
            public sealed class LeNet5Spec : {{standIn}}.Specs.IModelSpec { public string Name => "lenet5"; }
            """, [.. platform, MetadataReference.CreateFromFile(standInPath)]);
    }

    private string Emit(string assemblyName, string source, MetadataReference[] references)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        string path = Path.Combine(_directory, assemblyName + ".dll");
        using (FileStream file = File.Create(path))
        {
            var result = compilation.Emit(file);
            Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        }
        return path;
    }
}

using FimBounds.Package.Tests.Readme;
using FimBounds.Tests.Shared;

namespace FimBounds.Package.Tests;

/// <summary>
/// A user's machine after the README's "Your own architecture" set-up, done once for every test of the collection:
/// its bash blocks run as written (with only <see cref="SetupRewrites"/>) — the library and the tool packed into a
/// folder feed, the tool installed from it, a console project outside the repository with the package added — and
/// the section's spec and Program.cs written into that project and built.
/// </summary>
public sealed class PackagedUserProject : IDisposable
{
    public const string ArchitectureHeading = "Your own architecture";

    // A fresh version per run: NuGet caches a package by id and version.
    private readonly string _version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
    private readonly string _root = Directory.CreateTempSubdirectory("fimbounds-package-").FullName;

    public PackagedUserProject()
    {
        try
        {
            Architecture = ReadmeSection.Read(Repository.Readme, ArchitectureHeading);
            var rewrites = new SetupRewrites(Path.Combine(_root, "feed"), ToolPath, _version);
            foreach (FencedBlock block in Architecture.BlocksOf("bash"))
            {
                // The block that packs runs in the clone of the repository, as it says; the others anywhere else.
                string directory = block.Text.Contains("dotnet pack ", StringComparison.Ordinal) ? Repository.Root : _root;
                Shell(directory, string.Join('\n', block.Lines.Select(rewrites.Apply))).EnsureSuccess($"the README's set-up\n{block.Text}\n");
            }
            rewrites.EnsureAllApplied();
            ProjectDirectory = Path.Combine(_root, "LeNet");
            if (!Directory.Exists(ProjectDirectory))
            {
                throw new InvalidOperationException($"the README's set-up made no project folder {ProjectDirectory}");
            }
            FencedBlock[] sources = Architecture.BlocksOf("csharp").ToArray();
            if (sources.Length != 2)
            {
                throw new InvalidOperationException($"'## {ArchitectureHeading}' should show two C# blocks (the spec, then Program.cs), not {sources.Length}");
            }
            SpecSource = sources[0].Text + "\n";
            File.WriteAllText(Path.Combine(ProjectDirectory, "LeNet5.cs"), SpecSource);
            File.WriteAllText(Path.Combine(ProjectDirectory, "Program.cs"), sources[1].Text + "\n");
            Shell(ProjectDirectory, "dotnet build").EnsureSuccess("dotnet build of the README's project");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ReadmeSection Architecture { get; }

    /// <summary>The user's console project (the README's <c>LeNet</c> folder), built.</summary>
    public string ProjectDirectory { get; } = "";

    /// <summary>The spec file as the README shows it.</summary>
    public string SpecSource { get; } = "";

    private string ToolPath => Path.Combine(_root, "tools");

    /// <summary>Runs a bash script in <paramref name="directory"/> with the installed tool on the PATH (as a global tool would be); stops at the first failing command.</summary>
    internal CommandLine.Result Shell(string directory, string script) =>
        CommandLine.Run(directory, "/bin/bash", "-c", $"set -euo pipefail\nexport PATH=\"{ToolPath}:$PATH\"\n{script}");

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        foreach (string id in new[] { "fimbounds", "fimbounds.tool" })
        {
            string cached = Path.Combine(NuGetPackagesFolder(), id, _version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }

    private static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}

[CollectionDefinition(Name)]
public sealed class PackagedUserCollection : ICollectionFixture<PackagedUserProject>
{
    public const string Name = "the README's user, from the packed packages";
}

using FimBounds.Tests.Shared;

namespace FimBounds.Package.Tests;

/// <summary>
/// The README's "Your own architecture", done as a new user would: pack the library, make a console
/// project outside the repository, add the package from a local folder feed, write one attributed spec,
/// build and run it; then a spec with a shape error must fail the build with FIMB002 at its line.
/// </summary>
public sealed class OutOfTreePackageTests : IDisposable
{
    private const string Program = """
        using FimBounds.Nn.Specs;
        using static TorchSharp.torch;

        IModelSpec spec = LeNet.ZooCatalog.Find("lenet5");
        Console.WriteLine($"{spec.Name}: {spec.Description.Parameters:N0} parameters");
        Console.WriteLine($"bound: {spec.BoundText}");
        manual_seed(0);
        using var model = spec.CreateModel();
        model.eval();
        using var scope = NewDisposeScope();
        Tensor logits = model.call(rand(2, 1, 28, 28));
        Console.WriteLine($"logits: [{string.Join(", ", logits.shape)}]");
        """;

    // A fresh version per run: NuGet caches a package by id and version, so a re-packed 0.1.0 would be ignored.
    private readonly string _version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
    private readonly string _root = Directory.CreateTempSubdirectory("fimbounds-package-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        string cached = Path.Combine(NuGetPackagesFolder(), "fimbounds", _version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }

    [Fact]
    public void A_console_project_outside_the_repository_builds_and_runs_a_spec_from_the_package()
    {
        string feed = Path.Combine(_root, "feed");
        CommandLine.Run(RepositoryRoot(), "dotnet", "pack", "src/FimBounds.Package", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}")
            .EnsureSuccess("dotnet pack");
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        string project = Path.Combine(_root, "LeNet");
        Directory.CreateDirectory(project);
        CommandLine.Run(project, "dotnet", "new", "console", "--framework", "net10.0").EnsureSuccess("dotnet new console");
        CommandLine.Run(project, "dotnet", "add", "package", "FimBounds", "--version", _version).EnsureSuccess("dotnet add package");
        // The README's spec file, the one the CLI tests load with --specs.
        string spec = File.ReadAllText(Path.Combine(RepositoryRoot(), "specs", "LeNet", "LeNet5.cs"));
        File.WriteAllText(Path.Combine(project, "LeNet5.cs"), spec);
        File.WriteAllText(Path.Combine(project, "Program.cs"), Program);

        CommandLine.Run(project, "dotnet", "build").EnsureSuccess("dotnet build");
        string output = CommandLine.Run(project, "dotnet", "run", "--no-build").EnsureSuccess("dotnet run").Output;

        Assert.Contains("lenet5: 61,706 parameters", output);
        Assert.Contains("bound: 1/2*sigma_0^2*sigma_3^2*sigma_7^2*sigma_9^2*sigma_11^2", output);
        Assert.Contains("logits: [2, 10]", output);

        // Without its first [Flatten] the first Linear receives an image: FIMB002 at that attribute's line,
        // 10 once line 10 ([Flatten]) is gone.
        int flatten = spec.IndexOf("[Flatten]\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project, "LeNet5.cs"), spec.Remove(flatten, "[Flatten]\n".Length));
        CommandLine.Result broken = CommandLine.Run(project, "dotnet", "build");
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Matches(@"LeNet5\.cs\(10,2\): error FIMB002: Shape mismatch at Linear .6.: Linear needs a feature vector", broken.Output);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FimBounds.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("FimBounds.sln not found above the test's output folder");
    }

    private static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}

namespace FimBounds.Generators.Tests.Infrastructure;

/// <summary>Locates the repository (the folder holding FimBounds.sln) from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ZooSources => Path.Combine(Root, "specs", "FimBounds.Zoo");

    public static string Snapshots => Path.Combine(Root, "tests", "FimBounds.Generators.Tests", "Snapshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FimBounds.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"FimBounds.sln not found above {AppContext.BaseDirectory}");
    }
}

namespace FimBounds.Package.Tests;

/// <summary>Where this repository is (the packages are packed from it) and the README whose steps the tests run.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Readme => Path.Combine(Root, "README.md");

    private static string FindRoot()
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
}

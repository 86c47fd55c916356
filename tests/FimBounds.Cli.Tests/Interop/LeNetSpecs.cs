namespace FimBounds.Cli.Tests.Interop;

/// <summary>specs/LeNet, a user's own spec assembly: built with the solution and with this test project, loaded at run time with --specs.</summary>
internal static class LeNetSpecs
{
    public static string Assembly()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "specs", "LeNet", "bin", "Release", "net10.0", "LeNet.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("specs/LeNet is not built (it is built with the solution and with this test project)");
    }
}

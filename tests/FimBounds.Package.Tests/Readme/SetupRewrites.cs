namespace FimBounds.Package.Tests.Readme;

/// <summary>
/// The only changes the tests make to the README's set-up commands, so that a test run leaves the machine as it
/// found it: the feed is a temporary folder, the packages get a version of their own (NuGet caches a package by id
/// and version, so a re-packed 0.1.0 would be ignored; that version must then be asked for by name), and the tool
/// goes into a temporary folder on the PATH instead of the user's global tools. Each rewrite must find its
/// command: a README that stops saying it fails the test instead of going untested.
/// </summary>
public sealed class SetupRewrites(string feed, string toolPath, string version)
{
    private const string ReadmeFeed = "~/fimbounds-feed";

    private readonly HashSet<string> _applied = [];

    public string Apply(string line)
    {
        string rewritten = line.Replace(ReadmeFeed, feed, StringComparison.Ordinal);
        if (rewritten != line)
        {
            _applied.Add("feed");
        }
        if (rewritten.StartsWith("dotnet pack ", StringComparison.Ordinal))
        {
            _applied.Add("pack");
            return rewritten + $" -p:PackageVersion={version}";
        }
        if (rewritten.StartsWith("dotnet tool install --global ", StringComparison.Ordinal))
        {
            _applied.Add("tool");
            return rewritten.Replace("--global", $"--tool-path {toolPath}", StringComparison.Ordinal) + $" --version {version}";
        }
        if (rewritten.StartsWith("dotnet add package FimBounds", StringComparison.Ordinal))
        {
            _applied.Add("package");
            return rewritten + $" --version {version}";
        }
        return rewritten;
    }

    /// <summary>Throws unless every rewrite found its command in the README.</summary>
    public void EnsureAllApplied()
    {
        string[] missing = new[] { "feed", "pack", "tool", "package" }.Except(_applied).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"the README's set-up no longer has the commands these rewrites expect ({string.Join(", ", missing)}): " +
                $"update {nameof(SetupRewrites)} together with the README");
        }
    }
}

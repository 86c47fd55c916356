using FimBounds.Package.Tests.Readme;
using FimBounds.Tests.Shared;

namespace FimBounds.Package.Tests;

/// <summary>
/// The README's "Your own architecture", done as it says, outside the repository and from the packed packages:
/// the spec it shows, every command of its transcripts (the program, then the installed tool's list, bound and
/// measure on the user's assembly) printing what it shows, and the shape error it shows failing the build.
/// </summary>
[Collection(PackagedUserCollection.Name)]
public sealed class OwnArchitectureReadmeTests(PackagedUserProject user)
{
    [Fact]
    public void The_spec_the_readme_shows_is_the_one_the_repository_tests_load()
    {
        // tests/FimBounds.Cli.Tests load specs/LeNet with --specs: the README's spec must be that file, whole.
        string inRepository = File.ReadAllText(Path.Combine(Repository.Root, "specs", "LeNet", "LeNet5.cs")).ReplaceLineEndings("\n");
        Assert.Equal(inRepository, user.SpecSource);
    }

    [Fact]
    public void Every_command_of_the_section_prints_what_the_readme_shows()
    {
        IReadOnlyList<string> ran = TranscriptRunner.RunAll(user.Architecture, user);

        // The section's promise: the program, and the tool on the user's assembly — list (also as JSON), bound, measure.
        Assert.Contains("dotnet run", ran);
        foreach (string command in new[] { "fimbounds list --specs", "fimbounds bound ", "fimbounds measure " })
        {
            Assert.Contains(ran, c => c.StartsWith(command, StringComparison.Ordinal));
        }
        Assert.Contains(ran, c => c.StartsWith("fimbounds list ", StringComparison.Ordinal) && c.EndsWith(" --json", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shape_error_the_readme_shows_fails_the_build_at_its_line()
    {
        // The README: "Without the [Flatten], the build stops with" the block that holds the FIMB002 line.
        string expected = user.Architecture.Blocks.Single(b => b.Text.Contains("error FIMB002", StringComparison.Ordinal)).Text.Trim();
        string broken = Path.Combine(Path.GetDirectoryName(user.ProjectDirectory)!, "LeNetWithoutFlatten");
        Directory.CreateDirectory(broken);
        foreach (string file in new[] { "LeNet.csproj", "nuget.config", "Program.cs" })
        {
            File.Copy(Path.Combine(user.ProjectDirectory, file), Path.Combine(broken, file));
        }
        int flatten = user.SpecSource.IndexOf("[Flatten]\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(broken, "LeNet5.cs"), user.SpecSource.Remove(flatten, "[Flatten]\n".Length));

        CommandLine.Result build = user.Shell(broken, "dotnet build");

        Assert.NotEqual(0, build.ExitCode);
        // MSBuild prints the file's full path before "LeNet5.cs(line,column)"; the README shows it as a user sees it in the project folder.
        Assert.Contains(expected, build.Output.Replace(broken + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
    }
}

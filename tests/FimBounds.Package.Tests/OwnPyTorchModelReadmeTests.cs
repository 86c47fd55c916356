using System.Text.RegularExpressions;
using FimBounds.Package.Tests.Readme;
using FimBounds.Tests.Shared;

namespace FimBounds.Package.Tests;

/// <summary>
/// The README's "Your own PyTorch model", done as it says in the user's project of "Your own architecture", with
/// Debian's PyTorch: train the LeNet-5 in PyTorch with the repository's script, import its state_dict with the
/// installed tool, measure it, export it, and load the export back into PyTorch strictly with the same logits.
/// </summary>
[Collection(PackagedUserCollection.Name)]
public sealed partial class OwnPyTorchModelReadmeTests(PackagedUserProject user)
{
    private const string Heading = "Your own PyTorch model";

    private readonly ReadmeSection _section = ReadmeSection.Read(Repository.Readme, Heading);

    [Fact]
    public void The_python_the_readme_shows_is_in_the_script_it_names()
    {
        FencedBlock python = _section.BlocksOf("python").Single();
        string script = ScriptPath().Match(python.Text) is { Success: true } named
            ? Path.Combine(Repository.Root, named.Value)
            : throw new InvalidOperationException("the README's Python block should name its script (tests/PyTorch/….py)");
        HashSet<string> lines = File.ReadAllLines(script).Select(l => l.Trim()).ToHashSet();

        // Every line shown is a line of the script, apart from its comments and the "..." that leaves lines out.
        string[] shown = python.Lines.Select(l => l.Trim()).Where(l => l.Length > 0 && l != "..." && !l.StartsWith('#')).ToArray();
        Assert.NotEmpty(shown);
        Assert.All(shown, line => Assert.True(lines.Contains(line), $"the README shows '{line}', which {script} does not have"));
    }

    [PyTorchAndFashionMnistFact]
    public void Every_command_of_the_section_prints_what_the_readme_shows()
    {
        // The scripts the transcripts run are this repository's, copied beside the project as the README says.
        foreach (string script in _section.BlocksOf("console").SelectMany(TranscriptStep.Parse)
                     .Select(s => PythonScript().Match(s.Command)).Where(m => m.Success).Select(m => m.Groups["script"].Value))
        {
            File.Copy(Path.Combine(Repository.Root, "tests", "PyTorch", script), Path.Combine(user.ProjectDirectory, script), overwrite: true);
        }

        IReadOnlyList<string> ran = TranscriptRunner.RunAll(_section, user);

        // The section's promise, in order: PyTorch trains and saves, the tool imports, measures and exports, PyTorch loads the export strictly.
        string[] expected = ["/usr/bin/python3 train_lenet5.py", "fimbounds import ", "fimbounds measure ", "fimbounds export ", "/usr/bin/python3 check_lenet5_export.py"];
        Assert.Equal(expected, ran.Select(c => expected.First(e => c.StartsWith(e, StringComparison.Ordinal))));
    }

    [GeneratedRegex(@"tests/PyTorch/\w+\.py")]
    private static partial Regex ScriptPath();

    [GeneratedRegex(@"^/usr/bin/python3 (?<script>\w+\.py)")]
    private static partial Regex PythonScript();
}

/// <summary>A fact that needs real PyTorch and the full Fashion-MNIST (the README's training script reads it); skipped, with the reason, without them.</summary>
internal sealed class PyTorchAndFashionMnistFactAttribute : FactAttribute
{
    public const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    public PyTorchAndFashionMnistFactAttribute()
    {
        Skip = PythonTorch.WhyUnavailable
            ?? (Directory.Exists(FashionMnist) ? null : $"{FashionMnist} is missing (apt-get install dataset-fashion-mnist); the README's PyTorch training was not run");
    }
}

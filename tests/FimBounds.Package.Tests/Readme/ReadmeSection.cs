using System.Text.RegularExpressions;

namespace FimBounds.Package.Tests.Readme;

/// <summary>A fenced code block of the README: its info string ("bash", "csharp", "console", or empty) and its text.</summary>
public sealed record FencedBlock(string Info, string Text)
{
    public string[] Lines => Text.Split('\n');
}

/// <summary>
/// One "## " section of the repository's README.md, read the way the package tests use it: the fenced code
/// blocks in order. The tests run what these blocks say, so the README and the tests cannot drift apart.
/// </summary>
public sealed partial class ReadmeSection
{
    private ReadmeSection(string heading, IReadOnlyList<FencedBlock> blocks)
    {
        Heading = heading;
        Blocks = blocks;
    }

    public string Heading { get; }

    public IReadOnlyList<FencedBlock> Blocks { get; }

    public IEnumerable<FencedBlock> BlocksOf(string info) => Blocks.Where(b => b.Info == info);

    public static ReadmeSection Read(string readmePath, string heading)
    {
        string text = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        int start = text.IndexOf("\n## " + heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section '## {heading}'");
        }
        int end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? text[start..] : text[start..end];
        var blocks = Fence().Matches(section).Select(m => new FencedBlock(m.Groups["info"].Value, m.Groups["body"].Value.TrimEnd('\n'))).ToList();
        return new ReadmeSection(heading, blocks);
    }

    [GeneratedRegex(@"^```(?<info>[a-z]*)\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}

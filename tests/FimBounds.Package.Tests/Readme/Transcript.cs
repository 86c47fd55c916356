using System.Globalization;
using System.Text.RegularExpressions;

namespace FimBounds.Package.Tests.Readme;

/// <summary>
/// A console transcript as the README shows it: <c>$ command</c> lines, each followed by the output it printed.
/// A line that is only "…" stands for any number of lines the README leaves out.
/// </summary>
public sealed partial record TranscriptStep(string Command, IReadOnlyList<string> Expected)
{
    public const string Gap = "…";

    public static IReadOnlyList<TranscriptStep> Parse(FencedBlock block)
    {
        var steps = new List<(string Command, List<string> Output)>();
        foreach (string line in block.Lines)
        {
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps.Add((line[2..], []));
            }
            else if (steps.Count > 0)
            {
                steps[^1].Output.Add(line);
            }
            else
            {
                throw new InvalidOperationException($"a transcript block must start with '$ ': '{line}'");
            }
        }
        return steps.Select(s => new TranscriptStep(s.Command, Meaningful(s.Output).ToList())).ToList();
    }

    /// <summary>
    /// Null when <paramref name="output"/> matches the README's lines; otherwise why not. Runs of spaces count as
    /// one (table columns move with the widths of the numbers), blank lines are ignored, and numbers may differ by
    /// 10⁻³ relative — the last shown digit of a measurement rounded on another thread count — but no more.
    /// </summary>
    public string? Mismatch(string output)
    {
        string[] actual = Meaningful(output.ReplaceLineEndings("\n").Split('\n')).ToArray();
        return Matches(0, 0, actual) ? null : $"'$ {Command}' printed\n{string.Join('\n', actual)}\nbut the README shows\n{string.Join('\n', Expected)}";
    }

    private bool Matches(int e, int a, string[] actual)
    {
        if (e == Expected.Count)
        {
            return a == actual.Length;
        }
        if (Expected[e] == Gap)
        {
            for (int skip = a; skip <= actual.Length; skip++)
            {
                if (Matches(e + 1, skip, actual))
                {
                    return true;
                }
            }
            return false;
        }
        return a < actual.Length && SameLine(Expected[e], actual[a]) && Matches(e + 1, a + 1, actual);
    }

    private static IEnumerable<string> Meaningful(IEnumerable<string> lines) =>
        lines.Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0);

    private static bool SameLine(string expected, string actual)
    {
        string[] e = Number().Split(expected), a = Number().Split(actual);
        MatchCollection en = Number().Matches(expected), an = Number().Matches(actual);
        return e.SequenceEqual(a) && en.Count == an.Count && en.Zip(an).All(p => SameNumber(p.First.Value, p.Second.Value));
    }

    private static bool SameNumber(string expected, string actual)
    {
        if (expected == actual)
        {
            return true;
        }
        double x = double.Parse(expected.Replace(",", ""), CultureInfo.InvariantCulture);
        double y = double.Parse(actual.Replace(",", ""), CultureInfo.InvariantCulture);
        return Math.Abs(x - y) <= 1e-3 * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:E[-+]?\d+)?(?![\w])")]
    private static partial Regex Number();
}

using System.Globalization;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Rendering;

/// <summary>
/// Progress as plain lines, for redirected output and logs: one line per stage change and a percentage
/// every tenth of a stage, never a line per batch.
/// </summary>
public sealed class PlainRankProgress(TextWriter output) : IRankProgress
{
    private string _stage = "";
    private int _decile = -1;
    private int _index;
    private int _total;

    public void BeginModel(string label, int index, int total)
    {
        (_index, _total, _stage, _decile) = (index, total, "", -1);
        output.WriteLine($"[{index}/{total}] {label}");
    }

    public void Stage(string label, string stage, double fraction)
    {
        int decile = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
        if (stage == _stage && decile == _decile)
        {
            return;
        }
        bool newStage = stage != _stage;
        (_stage, _decile) = (stage, decile);
        if (newStage || decile > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{_index}/{_total}] {label}: {stage} ({fraction:P0} of this model)"));
        }
    }

    public void EndModel(string label, string summary) => output.WriteLine($"  [{_index}/{_total}] {label}: done — {summary}");

    public void Note(string line) => output.WriteLine(line);
}

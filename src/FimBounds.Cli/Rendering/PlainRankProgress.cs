using System.Globalization;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Rendering;

/// <summary>
/// Progress as plain lines, for redirected output and logs: one line per stage change and a percentage
/// every tenth of a stage, never a line per batch. Every line names its model, so the lines of models
/// evaluated side by side stay readable.
/// </summary>
public sealed class PlainRankProgress(TextWriter output) : IRankProgress
{
    private readonly Dictionary<string, (int Index, int Total, string Stage, int Decile)> _models = new(StringComparer.Ordinal);

    public void BeginModel(string label, int index, int total)
    {
        _models[label] = (index, total, "", -1);
        output.WriteLine($"[{index}/{total}] {label}");
    }

    public void Stage(string label, string stage, double fraction)
    {
        var model = _models.GetValueOrDefault(label);
        int decile = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
        if (stage == model.Stage && decile == model.Decile)
        {
            return;
        }
        bool newStage = stage != model.Stage;
        _models[label] = model with { Stage = stage, Decile = decile };
        if (newStage || decile > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{model.Index}/{model.Total}] {label}: {stage} ({fraction:P0} of this model)"));
        }
    }

    public void EndModel(string label, string summary)
    {
        var model = _models.GetValueOrDefault(label);
        _models.Remove(label);
        output.WriteLine($"  [{model.Index}/{model.Total}] {label}: done — {summary}");
    }

    public void Note(string line) => output.WriteLine(line);
}

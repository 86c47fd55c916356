using System.Diagnostics;
using System.Globalization;

namespace FimBounds.Study.Ranking;

/// <summary>
/// Wall time per stage of a study, summed over its models: wraps another <see cref="IRankProgress"/> and
/// charges the time from one stage's start to the next stage (or the model's end) to it. The demo prints the
/// sums, so what each stage (training, measurement, attacks, certification) costs of its time budget is seen.
/// </summary>
public sealed class StageTimes(IRankProgress inner) : IRankProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, TimeSpan Spent)> _totals = [];
    private string? _stage;
    private TimeSpan _since;

    /// <summary>Seconds per stage in the order the stages first ran.</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Totals => _totals.Select(t => (t.Stage, t.Spent.TotalSeconds)).ToList();

    /// <summary>One line: "time by stage: train 0 s, measure λ_max 12 s, …".</summary>
    public string Line() => "time by stage: " + string.Join(", ",
        _totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Spent.TotalSeconds:F0} s")));

    public void BeginModel(string label, int index, int total)
    {
        Close();
        inner.BeginModel(label, index, total);
    }

    public void Stage(string label, string stage, double fraction)
    {
        if (stage != _stage)
        {
            Close();
            _stage = stage;
            _since = _clock.Elapsed;
        }
        inner.Stage(label, stage, fraction);
    }

    public void EndModel(string label, string summary)
    {
        Close();
        inner.EndModel(label, summary);
    }

    public void Note(string line) => inner.Note(line);

    private void Close()
    {
        if (_stage is null)
        {
            return;
        }
        TimeSpan spent = _clock.Elapsed - _since;
        int at = _totals.FindIndex(t => t.Stage == _stage);
        if (at < 0)
        {
            _totals.Add((_stage, spent));
        }
        else
        {
            _totals[at] = (_stage, _totals[at].Spent + spent);
        }
        _stage = null;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace FimBounds.Study.Ranking;

/// <summary>
/// Time per stage of a study, summed over its models: wraps another <see cref="IRankProgress"/> and charges the
/// time from one of a model's stages to its next stage (or the model's end) to that stage. The demo prints the
/// sums, so what each stage (training, measurement, attacks, certification) costs of its time budget is seen.
/// With models evaluated side by side on several workers the stages of different models overlap, so the sums
/// are worker time and add up to about the workers times the wall time. Beside the wall time, each stage's CPU time
/// on the model's own thread (<see cref="ThreadCpuClock"/>; a model's calls come from the thread that computes it),
/// which a loaded machine barely moves. Not thread-safe (see <see cref="SerializedRankProgress"/>).
/// </summary>
public sealed class StageTimes(IRankProgress inner) : IRankProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, TimeSpan Spent, TimeSpan? Cpu)> _totals = [];
    private readonly Dictionary<string, (string Stage, TimeSpan Since, TimeSpan? CpuSince)> _current = new(StringComparer.Ordinal);

    /// <summary>Seconds per stage in the order the stages first ran.</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Totals => _totals.Select(t => (t.Stage, t.Spent.TotalSeconds)).ToList();

    /// <summary>One line: "time by stage: train 0 s, measure λ_max 12 s, …"; with several workers, says the times are summed over them.</summary>
    public string Line(int workers = 1) => "time by stage: " + string.Join(", ",
        _totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Spent.TotalSeconds:F0} s")))
        + (workers > 1 ? $" (summed over {workers} workers running side by side)" : "");

    /// <summary>Thread CPU seconds per stage in the order the stages first ran; null where the platform has no thread clock.</summary>
    public IReadOnlyList<(string Stage, double? CpuSeconds)> CpuTotals => _totals.Select(t => (t.Stage, t.Cpu?.TotalSeconds)).ToList();

    /// <summary>One line: "CPU by stage: train 500 s, …"; null where the platform has no thread clock.</summary>
    public string? CpuLine() => _totals.Count == 0 || _totals.Any(t => t.Cpu is null) ? null : "CPU by stage: " + string.Join(", ",
        _totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Cpu!.Value.TotalSeconds:F0} s")))
        + string.Create(CultureInfo.InvariantCulture, $" (total {_totals.Sum(t => t.Cpu!.Value.TotalSeconds):F0} s on the models' threads)");

    public void BeginModel(string label, int index, int total)
    {
        Close(label);
        inner.BeginModel(label, index, total);
    }

    public void Stage(string label, string stage, double fraction)
    {
        if (!_current.TryGetValue(label, out var current) || current.Stage != stage)
        {
            Close(label);
            _current[label] = (stage, _clock.Elapsed, ThreadCpuClock.Now());
        }
        inner.Stage(label, stage, fraction);
    }

    public void EndModel(string label, string summary)
    {
        Close(label);
        inner.EndModel(label, summary);
    }

    public void Note(string line) => inner.Note(line);

    private void Close(string label)
    {
        if (!_current.Remove(label, out var current))
        {
            return;
        }
        TimeSpan spent = _clock.Elapsed - current.Since;
        TimeSpan? cpu = ThreadCpuClock.Now() - current.CpuSince;
        int at = _totals.FindIndex(t => t.Stage == current.Stage);
        if (at < 0)
        {
            _totals.Add((current.Stage, spent, cpu));
        }
        else
        {
            _totals[at] = (current.Stage, _totals[at].Spent + spent, _totals[at].Cpu + cpu);
        }
    }
}

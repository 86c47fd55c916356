namespace FimBounds.Study.Ranking;

/// <summary>
/// Passes every call on to another <see cref="IRankProgress"/> one at a time, for models evaluated on several
/// worker threads at once: renderers and <see cref="StageTimes"/> keep state between calls and are written for one caller.
/// </summary>
public sealed class SerializedRankProgress(IRankProgress inner) : IRankProgress
{
    private readonly Lock _turn = new();

    public void BeginModel(string label, int index, int total)
    {
        lock (_turn)
        {
            inner.BeginModel(label, index, total);
        }
    }

    public void Stage(string label, string stage, double fraction)
    {
        lock (_turn)
        {
            inner.Stage(label, stage, fraction);
        }
    }

    public void EndModel(string label, string summary)
    {
        lock (_turn)
        {
            inner.EndModel(label, summary);
        }
    }

    public void Note(string line)
    {
        lock (_turn)
        {
            inner.Note(line);
        }
    }
}

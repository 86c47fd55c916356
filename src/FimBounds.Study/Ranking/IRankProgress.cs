namespace FimBounds.Study.Ranking;

/// <summary>What the orchestration tells the user while it works: one model at a time, stage by stage.</summary>
public interface IRankProgress
{
    /// <summary>A model starts (index is 1-based among <paramref name="total"/>).</summary>
    void BeginModel(string label, int index, int total);

    /// <summary>Inside the current model: a stage and how far it is, in [0, 1].</summary>
    void Stage(string label, string stage, double fraction);

    /// <summary>The model is done; <paramref name="summary"/> is one line about it.</summary>
    void EndModel(string label, string summary);

    /// <summary>A free-standing line (cache directory, report path).</summary>
    void Note(string line);
}

/// <summary>Reports nothing (tests, library use).</summary>
public sealed class SilentRankProgress : IRankProgress
{
    public static SilentRankProgress Instance { get; } = new();

    public void BeginModel(string label, int index, int total) { }

    public void Stage(string label, string stage, double fraction) { }

    public void EndModel(string label, string summary) { }

    public void Note(string line) { }
}

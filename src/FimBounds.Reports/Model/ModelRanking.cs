namespace FimBounds.Reports.Model;

/// <summary>
/// One ordering of the models, rank 1 = most robust. Ties share the average of their positions
/// (fractional ranks), which is what the rank correlations expect.
/// </summary>
/// <param name="Key">Stable name in report files: "theory", "measured", "attack", "bound", "paper".</param>
/// <param name="Title">Column title for people.</param>
/// <param name="Criterion">What orders it, in words.</param>
/// <param name="Entries">One entry per model, in the report's model order.</param>
public sealed record ModelRanking(string Key, string Title, string Criterion, IReadOnlyList<RankedEntry> Entries)
{
    public double RankOf(string modelId) => Entries.First(e => e.ModelId == modelId).Rank;
}

/// <param name="Score">The value the ranking orders by (its direction is the ranking's criterion).</param>
public sealed record RankedEntry(string ModelId, double Rank, double Score);

/// <summary>How well two rankings agree: Spearman's ρ and Kendall's τ-b (null when undefined, e.g. a constant ranking).</summary>
public sealed record RankAgreement(string First, string Second, double? Spearman, double? Kendall, int Count)
{
    /// <summary>e.g. "theoryVsMeasured".</summary>
    public string Key => First + "Vs" + char.ToUpperInvariant(Second[0]) + Second[1..];
}

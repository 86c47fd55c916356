namespace FimBounds.Reports.Model;

/// <summary>Which statistic of the per-input λ_max orders the measured ranking.</summary>
public enum FimStatistic
{
    Mean,
    Median,
    P95,
    Max,
}

/// <summary>Choices that change the report's content; the defaults are what `fimbounds rank` uses.</summary>
public sealed record RankingOptions
{
    public static RankingOptions Default { get; } = new();

    /// <summary>The measured ranking orders models by this statistic of λ_max (smaller = more robust).</summary>
    public FimStatistic MeasuredBy { get; init; } = FimStatistic.Mean;

    /// <summary>Add the paper's family ranking as a fourth ranking when every model's family is in it.</summary>
    public bool IncludePaperRanking { get; init; } = true;
}

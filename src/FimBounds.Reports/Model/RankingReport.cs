namespace FimBounds.Reports.Model;

/// <summary>
/// The whole report: theory vs measurement vs attacks for a set of trained models. Build it with
/// <see cref="Ranking.RankingReportBuilder"/>; write it with <see cref="ReportWriter"/>.
/// Models are ordered by spec name, then variant, whatever order they were given in.
/// </summary>
public sealed record RankingReport(
    RunMetadata Run,
    TheoryStatement Theory,
    RankingOptions Options,
    IReadOnlyList<ModelReport> Models,
    IReadOnlyList<ModelRanking> Rankings,
    IReadOnlyList<RankAgreement> Agreement,
    CorrelationEstimate PooledEpsilonCorrelation,
    TrendLine? PooledEpsilonTrend)
{
    /// <summary>Every number in report.md, report.json and the console table is rounded to this many significant digits.</summary>
    public const int SignificantDigits = 4;

    /// <summary>Models whose global bound is below a measured λ_max: a bug to fix, never a tolerance.</summary>
    public IReadOnlyList<ModelReport> ViolatedBounds => Models.Where(m => !m.BoundHolds).ToList();

    public ModelRanking RankingOf(string key) => Rankings.First(r => r.Key == key);
}

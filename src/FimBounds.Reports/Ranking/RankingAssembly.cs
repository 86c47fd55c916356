using FimBounds.Core.Bounds;
using FimBounds.Core.Statistics;
using FimBounds.Reports.Model;
using FimBounds.Reports.Statistics;

namespace FimBounds.Reports.Ranking;

/// <summary>
/// Puts the models in order several ways — theory, measured FIM, attack, the bound from the weights and
/// (when it applies) the paper's — and measures how far each pair of orderings agrees.
/// </summary>
internal static class RankingAssembly
{
    public static IReadOnlyList<ModelRanking> Rank(IReadOnlyList<ModelReport> models, RankingOptions options)
    {
        var rankings = new List<ModelRanking>
        {
            Ascending("theory", "Theory",
                "the algebra's family comparison under the stated assumptions (smaller bound = more robust)",
                models, m => m.TheoreticalRank),
            Ascending("measured", "Measured FIM",
                $"{Describe(options.MeasuredBy)} λ_max over the test inputs (smaller = more robust)",
                models, m => Statistic(m.Fim, options.MeasuredBy)),
            Descending("attack", "Attack (PGD)",
                "accuracy under PGD (higher = more robust)",
                models, m => m.RobustAccuracyPgd),
            Ascending("bound", "Bound (weights)",
                "global bound from the trained weights (smaller = more robust)",
                models, m => m.BoundGlobal),
        };
        if (options.IncludePaperRanking && models.All(m => PaperRanking.Position(m.Family) is not null))
        {
            rankings.Add(Ascending("paper", "Paper", PaperRanking.Statement,
                models, m => PaperRanking.Position(m.Family)!.Value));
        }
        return rankings;
    }

    public static IReadOnlyList<RankAgreement> Agree(IReadOnlyList<ModelRanking> rankings)
    {
        var agreement = new List<RankAgreement>();
        for (int i = 0; i < rankings.Count; i++)
        {
            for (int j = i + 1; j < rankings.Count; j++)
            {
                double[] a = rankings[i].Entries.Select(e => e.Rank).ToArray();
                double[] b = rankings[j].Entries.Select(e => e.Rank).ToArray();
                agreement.Add(new RankAgreement(
                    rankings[i].Key, rankings[j].Key,
                    RankCorrelation.Spearman(a, b), RankCorrelation.KendallTauB(a, b), a.Length));
            }
        }
        return agreement;
    }

    public static double Statistic(FimSummary fim, FimStatistic statistic) => statistic switch
    {
        FimStatistic.Mean => fim.Mean,
        FimStatistic.Median => fim.Median,
        FimStatistic.P95 => fim.P95,
        FimStatistic.Max => fim.Max,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, null),
    };

    private static string Describe(FimStatistic statistic) => statistic switch
    {
        FimStatistic.Mean => "mean",
        FimStatistic.Median => "median",
        FimStatistic.P95 => "95th percentile of",
        FimStatistic.Max => "largest",
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, null),
    };

    private static ModelRanking Ascending(string key, string title, string criterion,
        IReadOnlyList<ModelReport> models, Func<ModelReport, double> score) =>
        Build(key, title, criterion, models, score, ascending: true);

    private static ModelRanking Descending(string key, string title, string criterion,
        IReadOnlyList<ModelReport> models, Func<ModelReport, double> score) =>
        Build(key, title, criterion, models, score, ascending: false);

    private static ModelRanking Build(string key, string title, string criterion,
        IReadOnlyList<ModelReport> models, Func<ModelReport, double> score, bool ascending)
    {
        double[] scores = models.Select(score).ToArray();
        // Rank 1 = most robust: the smallest score when smaller is better, otherwise the largest.
        double[] ranks = RankCorrelation.FractionalRanks(ascending ? scores : scores.Select(s => -s).ToArray());
        var entries = models.Select((m, i) => new RankedEntry(m.Id, ranks[i], scores[i])).ToList();
        return new ModelRanking(key, title, criterion, entries);
    }
}

using FimBounds.Reports.Model;
using static FimBounds.Reports.Formatting.Numbers;

namespace FimBounds.Reports.Json;

/// <summary>
/// report.json: everything in the report, machine-readable, camelCase, numbers rounded like the tables,
/// "\n" line ends, fixed member order: the same report always gives the same bytes.
/// </summary>
public static class JsonReportRenderer
{
    public const string Schema = "fimbounds.report/1";

    public static string Render(RankingReport report) =>
        JsonPolicy.Serialize(ToDocument(report)) + "\n";

    private static JsonReport ToDocument(RankingReport r) => new(
        Schema,
        RankingReport.SignificantDigits,
        "rank 1 = most robust; ties share the mean rank",
        Run(r.Run),
        new JsonTheory(r.Theory.Assumptions, r.Theory.Findings),
        r.Models.Select(m => Model(r, m)).ToList(),
        r.Rankings.Select(k => new JsonRanking(k.Key, k.Title, k.Criterion,
            k.Entries.Select(e => new JsonRankedEntry(e.ModelId, e.Rank, Round(e.Score))).ToList())).ToList(),
        Agreement(r.Agreement),
        Correlation(r.PooledEpsilonCorrelation),
        Trend(r.PooledEpsilonTrend),
        r.ViolatedBounds.Select(m => m.Id).ToList());

    private static JsonRun Run(RunMetadata run) => new(
        run.FimBoundsVersion, run.Seed, run.Samples, run.Dataset, run.CacheDirectory, run.Threads, run.Estimator,
        run.Attacks is { } a
            ? new JsonAttacks(a.Norm, Round(a.PgdEpsilon), Round(a.PgdStepSize), a.PgdSteps,
                Round(a.CwConstant), a.CwSteps, Round(a.CwLearningRate), a.MinimalEpsilonMethod)
            : null,
        run.Notes);

    private static JsonModel Model(RankingReport r, ModelReport m)
    {
        var ranks = new OrderedDictionary<string, double>();
        foreach (ModelRanking ranking in r.Rankings)
        {
            ranks.Add(ranking.Key, ranking.RankOf(m.Id));
        }
        return new JsonModel(
            m.Id, m.Spec, m.Label, m.Family.Key(), m.Variant.Key(), m.Parameters,
            new JsonBound(m.BoundText, m.BoundLatex),
            m.TheoreticalRank,
            Round(m.BoundGlobal),
            m.BoundScope,
            new JsonFim(m.Fim.Count, Round(m.Fim.Mean), Round(m.Fim.Median), Round(m.Fim.P95), Round(m.Fim.Max),
                Round(m.Fim.Min), Round(m.Fim.Q1), Round(m.Fim.Q3), m.Fim.Values.Select(Round).ToList()),
            Round(m.CleanAccuracy),
            Round(m.RobustAccuracyPgd),
            Round(m.RobustAccuracyCw),
            Round(m.Tightness),
            m.BoundHolds,
            ranks,
            m.Layers.Select(l => new JsonLayer(l.Path, l.Description, Round(l.BoundFactor), Round(l.AttainedFactor), Round(l.Tightness))).ToList(),
            Correlation(m.EpsilonCorrelation),
            Trend(m.EpsilonTrend),
            m.Inputs.Select(p => new JsonInput(Round(p.LambdaMax),
                p.MinimalEpsilon is { } e && double.IsFinite(e) ? Round(e) : null)).ToList(),
            Looseness(m.Looseness),
            JsonCertification.Of(m.Certification));
    }

    private static JsonLooseness? Looseness(BoundLooseness? l) => l is null
        ? null
        : new JsonLooseness(Round(l.Tightness), Round(l.Softmax), Round(l.ConfidenceAwareSoftmax), Round(l.Lipschitz), Round(l.Certificates),
            Round(l.Composition), Round(l.Alignment),
            l.Layers.Select(g => new JsonLayerLooseness(g.Path, g.Kind, Round(g.Factor), Round(g.Attained), Round(g.CertificateGap), Round(g.Log10Share))).ToList());

    private const string HeadlinePair = "theoryVsMeasured";

    private static JsonAgreement Agreement(IReadOnlyList<RankAgreement> agreement)
    {
        var spearman = new OrderedDictionary<string, double?>();
        var kendall = new OrderedDictionary<string, double?>();
        foreach (RankAgreement a in agreement)
        {
            spearman.Add(a.Key, Round(a.Spearman));
            kendall.Add(a.Key, Round(a.Kendall));
        }
        // The headline pair answers the report's first question: does the theory predict the measurement?
        RankAgreement? headline = agreement.FirstOrDefault(a => a.Key == HeadlinePair);
        return new JsonAgreement(
            HeadlinePair,
            Round(headline?.Spearman),
            Round(headline?.Kendall),
            spearman,
            kendall,
            agreement.Select(a => new JsonAgreementPair(a.First, a.Second, Round(a.Spearman), Round(a.Kendall), a.Count)).ToList());
    }

    private static JsonCorrelation Correlation(CorrelationEstimate c) =>
        new(c.Method, Round(c.Coefficient), Round(c.Lower), Round(c.Upper), c.Confidence, c.Pairs, c.Excluded);

    private static JsonTrend? Trend(TrendLine? t) =>
        t is null ? null : new JsonTrend("log10(epsilon) = intercept + slope * log10(lambdaMax)", Round(t.Slope), Round(t.Intercept), t.Points);
}

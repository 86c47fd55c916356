using FimBounds.Reports.Formatting;
using FimBounds.Reports.Model;

namespace FimBounds.Reports.Tables;

/// <summary>The report's tables, formatted once and rendered by every output.</summary>
public static class ReportTables
{
    public static Table Models(RankingReport report) => new Table(
        "Models",
        [
            new("Model"), new("Family"), new("Variant"), new("Parameters", Align.Right),
            new("Clean accuracy", Align.Right), new("PGD accuracy", Align.Right), new("CW accuracy", Align.Right),
        ],
        report.Models.Select(m => Row(
            m.Label, m.Family.Display(), m.Variant.Key(), Numbers.Count(m.Parameters),
            Numbers.Percent(m.CleanAccuracy), Numbers.Percent(m.RobustAccuracyPgd), Numbers.Percent(m.RobustAccuracyCw))).ToList()).Validate();

    public static Table BoundVsMeasured(RankingReport report) => new Table(
        "Bound vs measured λ_max",
        [
            new("Model"), new("Theory rank", Align.Right), new("Bound (global)", Align.Right),
            new("FIM mean", Align.Right), new("FIM median", Align.Right), new("FIM p95", Align.Right), new("FIM max", Align.Right),
            new("Tightness (bound/max)", Align.Right), new("Bound holds"),
        ],
        report.Models.Select(m => Row(
            m.Label, m.TheoreticalRank.ToString(System.Globalization.CultureInfo.InvariantCulture), Numbers.Format(m.BoundGlobal),
            Numbers.Format(m.Fim.Mean), Numbers.Format(m.Fim.Median), Numbers.Format(m.Fim.P95), Numbers.Format(m.Fim.Max),
            Numbers.Format(m.Tightness), m.BoundHolds ? "yes" : "NO - bound violated"))
        .ToList()).Validate();

    public static Table Rankings(RankingReport report) => new Table(
        "Rankings (1 = most robust)",
        [new TableColumn("Model"), .. report.Rankings.Select(r => new TableColumn(r.Title, Align.Right))],
        report.Models
            .OrderBy(m => report.Rankings[0].RankOf(m.Id))
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (IReadOnlyList<string>)[m.Label, .. report.Rankings.Select(r => Numbers.Rank(r.RankOf(m.Id)))])
            .ToList()).Validate();

    public static Table RankingCriteria(RankingReport report) => new Table(
        "Ranking criteria",
        [new("Ranking"), new("Ordered by")],
        report.Rankings.Select(r => Row(r.Title, r.Criterion)).ToList()).Validate();

    public static Table Agreement(RankingReport report)
    {
        var titles = report.Rankings.ToDictionary(r => r.Key, r => r.Title);
        return new Table(
            "Rank agreement",
            [new("Rankings"), new("Spearman ρ", Align.Right), new("Kendall τ-b", Align.Right), new("Models", Align.Right)],
            report.Agreement.Select(a => Row(
                $"{titles[a.First]} vs {titles[a.Second]}",
                Numbers.Signed(a.Spearman), Numbers.Signed(a.Kendall), a.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList()).Validate();
    }

    public static Table Sensitivity(RankingReport report)
    {
        var rows = report.Models
            .Select(m => SensitivityRow(m.Label, m.EpsilonCorrelation, m.EpsilonTrend))
            .Append(SensitivityRow("all models (pooled)", report.PooledEpsilonCorrelation, report.PooledEpsilonTrend))
            .ToList();
        return new Table(
            "Per-input λ_max vs minimal ε",
            [
                new("Model"), new("Pairs", Align.Right), new("Excluded", Align.Right), new("Spearman ρ", Align.Right),
                new("95% CI", Align.Right), new("log-log slope", Align.Right),
            ],
            rows).Validate();
    }

    public static Table Layers(ModelReport model) => new Table(
        $"Per-layer factors: {model.Label}",
        [new("Layer"), new("Factor"), new("Bound", Align.Right), new("Measured", Align.Right), new("Tightness", Align.Right)],
        model.Layers.Select(l => Row(
            l.Path, l.Description, Numbers.Format(l.BoundFactor), Numbers.Format(l.AttainedFactor), Numbers.Format(l.Tightness)))
        .ToList()).Validate();

    /// <summary>
    /// Where each model's tightness comes from, at its input with the largest λ_max: the factors multiply to
    /// the tightness (softmax × Lipschitz × alignment; Lipschitz = certificates × composition), and the layers
    /// with the largest share of the bound. "Holds at" says where the bound is valid: a bound that uses values
    /// measured on the calibration inputs (LayerNorm variance floors, attention ratios) holds at those inputs only.
    /// </summary>
    public static Table Looseness(RankingReport report) => new Table(
        "Where the looseness comes from",
        [
            new("Model"), new("Holds at"), new("Tightness", Align.Right), new("Softmax ½/λ(A)", Align.Right), new("Lipschitz L²/‖PJ‖²", Align.Right),
            new("Certificates", Align.Right), new("Composition", Align.Right), new("Alignment", Align.Right), new("Largest layer factors (decades of the bound)"),
        ],
        report.Models.Where(m => m.Looseness is not null).Select(m => Row(
            m.Label, m.BoundScope == "global" ? "every input" : "the calibration inputs", Numbers.Format(m.Looseness!.Tightness), Numbers.Format(m.Looseness.Softmax), Numbers.Format(m.Looseness.Lipschitz),
            Numbers.Format(m.Looseness.Certificates), Numbers.Format(m.Looseness.Composition), Numbers.Format(m.Looseness.Alignment),
            string.Join(", ", m.Looseness.Layers.Take(3).Select(l => $"{l.Path} {Numbers.Signed(l.Log10Share)}"))))
        .ToList()).Validate();

    /// <summary>The table the CLI prints at the end of a run: one line per model, the rankings beside the numbers.</summary>
    public static Table Summary(RankingReport report) => new Table(
        "Summary",
        [
            new("Model"), new("Bound", Align.Right), new("FIM max", Align.Right), new("Tightness", Align.Right),
            new("PGD acc", Align.Right), .. report.Rankings.Select(r => new TableColumn(r.Title, Align.Right)),
        ],
        report.Models.Select(m => (IReadOnlyList<string>)
        [
            m.Label, Numbers.Format(m.BoundGlobal), Numbers.Format(m.Fim.Max), Numbers.Format(m.Tightness),
            Numbers.Percent(m.RobustAccuracyPgd), .. report.Rankings.Select(r => Numbers.Rank(r.RankOf(m.Id))),
        ]).ToList()).Validate();

    private static IReadOnlyList<string> SensitivityRow(string label, CorrelationEstimate c, TrendLine? trend) =>
        Row(label, c.Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Excluded.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Numbers.Signed(c.Coefficient), Numbers.Interval(c.Lower, c.Upper), Numbers.Signed(trend?.Slope));

    private static IReadOnlyList<string> Row(params string[] cells) => cells;
}

using FimBounds.Reports.Formatting;
using FimBounds.Reports.Model;

namespace FimBounds.Reports.Tables;

/// <summary>The answers a reader looks for first, in sentences derived from the rankings.</summary>
public static class Headline
{
    public static IReadOnlyList<string> Lines(RankingReport report)
    {
        var labels = report.Models.ToDictionary(m => m.Id, m => m.Label);
        var lines = report.Rankings
            .Select(r => $"Rank 1 by {r.Title}: {string.Join(", ", Leaders(r).Select(id => labels[id]))}.")
            .ToList();

        var theoryVsMeasured = report.Agreement.FirstOrDefault(a => a.First == "theory" && a.Second == "measured");
        if (theoryVsMeasured is not null)
        {
            lines.Add($"Theory vs measured FIM: Spearman ρ {Numbers.Signed(theoryVsMeasured.Spearman)}, Kendall τ-b {Numbers.Signed(theoryVsMeasured.Kendall)}.");
        }

        if (report.ViolatedBounds.Count > 0)
        {
            lines.Add($"BOUND VIOLATED for {string.Join(", ", report.ViolatedBounds.Select(m => m.Label))}: a measured λ_max exceeds the global bound. " +
                      "This is a bug in a bound rule or in the measurement, not a tolerance.");
        }
        else
        {
            var tight = report.Models.Where(m => m.Tightness is not null).ToList();
            string range = tight.Count == 0
                ? ""
                : $" (tightness from {Numbers.Format(tight.Min(m => m.Tightness!.Value))}× to {Numbers.Format(tight.Max(m => m.Tightness!.Value))}×)";
            var calibrated = report.Models.Where(m => m.BoundScope != "global").Select(m => m.Label).ToList();
            lines.Add($"The global bound holds for all {report.Models.Count} models{range}." + (calibrated.Count == 0
                ? ""
                : $" For {string.Join(", ", calibrated)} it uses values measured on the test inputs (LayerNorm variance floors, attention ratios), so it holds at those inputs, not everywhere."));
        }

        if (CertificationTables.HeadlineLine(report) is { } certification)
        {
            lines.Add(certification);
        }

        var pooled = report.PooledEpsilonCorrelation;
        lines.Add(pooled.Coefficient is null
            ? "λ_max vs minimal ε: not enough attacked inputs for a correlation."
            : $"λ_max vs minimal ε over {pooled.Pairs} inputs: Spearman ρ {Numbers.Signed(pooled.Coefficient)}, 95% CI {Numbers.Interval(pooled.Lower, pooled.Upper)}.");
        return lines;
    }

    /// <summary>The models sharing the best (smallest) rank, in report order.</summary>
    public static IEnumerable<string> Leaders(ModelRanking ranking)
    {
        double best = ranking.Entries.Min(e => e.Rank);
        return ranking.Entries.Where(e => e.Rank == best).Select(e => e.ModelId);
    }
}

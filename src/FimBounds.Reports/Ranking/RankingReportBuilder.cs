using FimBounds.Core.Statistics;
using FimBounds.Reports.Model;
using FimBounds.Reports.Statistics;

namespace FimBounds.Reports.Ranking;

/// <summary>
/// The library's entry point for data: turns raw measurements into a <see cref="RankingReport"/> —
/// summaries, tightness, rankings, rank agreement and the λ_max–ε correlation — with pure functions.
/// </summary>
public static class RankingReportBuilder
{
    public static RankingReport Build(
        RunMetadata run,
        IEnumerable<ModelMeasurement> measurements,
        TheoryStatement? theory = null,
        RankingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(measurements);
        options ??= RankingOptions.Default;

        var ordered = measurements
            .OrderBy(m => m.Spec, StringComparer.Ordinal)
            .ThenBy(m => m.Variant)
            .ToList();
        MeasurementValidation.Validate(ordered);

        var models = ordered.Select(Describe).ToList();
        var rankings = RankingAssembly.Rank(models, options);
        var (pooled, pooledTrend) = SensitivityCorrelation.Compute(models.SelectMany(m => m.Inputs).ToList());

        return new RankingReport(
            run,
            theory ?? TheoryStatement.None,
            options,
            models,
            rankings,
            RankingAssembly.Agree(rankings),
            pooled,
            pooledTrend);
    }

    private static ModelReport Describe(ModelMeasurement m)
    {
        FimSummary fim = Descriptive.Summarize(m.LambdaMax);
        var (computed, trend) = SensitivityCorrelation.Compute(m.Inputs);
        return new ModelReport
        {
            Id = $"{m.Spec}/{m.Variant.Key()}",
            Label = m.Variant == ModelVariant.Standard ? m.Spec : $"{m.Spec} ({m.Variant.Key()})",
            Spec = m.Spec,
            Family = m.Family,
            Variant = m.Variant,
            Parameters = m.Parameters,
            BoundText = m.BoundText,
            BoundLatex = m.BoundLatex,
            TheoreticalRank = m.TheoreticalRank,
            BoundGlobal = m.BoundGlobal,
            BoundScope = m.BoundScope,
            Fim = fim,
            CleanAccuracy = m.CleanAccuracy,
            RobustAccuracyPgd = m.RobustAccuracyPgd,
            RobustAccuracyCw = m.RobustAccuracyCw,
            Tightness = fim.Max > 0 ? m.BoundGlobal / fim.Max : null,
            BoundHolds = m.BoundGlobal >= fim.Max,
            Layers = m.Layers.Select(l => new LayerReport(
                l.Path, l.Description, l.BoundFactor, l.AttainedFactor,
                l.AttainedFactor is > 0 ? l.BoundFactor / l.AttainedFactor.Value : null)).ToList(),
            Inputs = m.Inputs.ToList(),
            EpsilonCorrelation = m.EpsilonCorrelation ?? computed,
            EpsilonTrend = trend,
            Looseness = m.Looseness,
            Certification = m.Certification is { } c ? CertificationSummary.Of(c, m.BoundGlobal) : null,
        };
    }
}

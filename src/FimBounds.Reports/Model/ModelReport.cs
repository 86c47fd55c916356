using FimBounds.Core.Architecture;
using FimBounds.Core.Statistics;

namespace FimBounds.Reports.Model;

/// <summary>One model's row of the report: its measurement plus everything derived from it.</summary>
public sealed record ModelReport
{
    /// <summary>Unique within a report: "spec/variant", e.g. "vgg-mini/pgd-trained".</summary>
    public required string Id { get; init; }

    /// <summary>What tables and plots show, e.g. "vgg-mini (pgd-trained)".</summary>
    public required string Label { get; init; }

    public required string Spec { get; init; }
    public required ArchitectureFamily Family { get; init; }
    public required ModelVariant Variant { get; init; }
    public required long Parameters { get; init; }
    public required string BoundText { get; init; }
    public required string BoundLatex { get; init; }
    public required int TheoreticalRank { get; init; }
    public required double BoundGlobal { get; init; }

    /// <summary>Where the bound holds (<see cref="ModelMeasurement.BoundScope"/>).</summary>
    public string BoundScope { get; init; } = "global";
    public required FimSummary Fim { get; init; }
    public required double CleanAccuracy { get; init; }
    public required double RobustAccuracyPgd { get; init; }
    public required double? RobustAccuracyCw { get; init; }

    /// <summary>BoundGlobal / measured max λ_max; null when every measured λ_max is 0.</summary>
    public required double? Tightness { get; init; }

    /// <summary>BoundGlobal ≥ measured max. False is a bug in a bound rule or the engine, shown loudly.</summary>
    public required bool BoundHolds { get; init; }

    public required IReadOnlyList<LayerReport> Layers { get; init; }
    public required IReadOnlyList<InputSensitivity> Inputs { get; init; }
    public required CorrelationEstimate EpsilonCorrelation { get; init; }
    public required TrendLine? EpsilonTrend { get; init; }

    /// <summary>Where the tightness comes from (see <see cref="BoundLooseness"/>); null when not computed.</summary>
    public BoundLooseness? Looseness { get; init; }

    /// <summary>The certified side of the sandwich certified ≤ true ≤ attacked; null when certification was not run.</summary>
    public CertificationSummary? Certification { get; init; }
}

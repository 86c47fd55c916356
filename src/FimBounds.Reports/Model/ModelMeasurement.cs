using FimBounds.Core.Architecture;

namespace FimBounds.Reports.Model;

/// <summary>
/// Everything measured about one trained model: what the integrator fills from a real run. The report
/// builder derives the summaries, tightness, rankings and correlations from it, so nothing here is
/// computed twice or typed in by hand.
/// </summary>
public sealed record ModelMeasurement
{
    /// <summary>Zoo spec name, e.g. "vgg-mini".</summary>
    public required string Spec { get; init; }

    public required ArchitectureFamily Family { get; init; }

    public ModelVariant Variant { get; init; } = ModelVariant.Standard;

    public required long Parameters { get; init; }

    /// <summary>The symbolic bound as text (IModelSpec.BoundText).</summary>
    public required string BoundText { get; init; }

    /// <summary>The symbolic bound in LaTeX (IModelSpec.BoundLatex), without surrounding dollars.</summary>
    public required string BoundLatex { get; init; }

    /// <summary>
    /// The rank the algebra's family comparison gives this architecture under the stated assumptions:
    /// 1 = most robust (smallest bound). Models of the same architecture share it; ties are allowed.
    /// </summary>
    public required int TheoreticalRank { get; init; }

    /// <summary>The global bound c_p·L² instantiated with the trained weights (c_p = ½).</summary>
    public required double BoundGlobal { get; init; }

    /// <summary>
    /// Where <see cref="BoundGlobal"/> holds: "global" (every input) or "calibration-inputs" (some value it uses,
    /// a LayerNorm variance floor or an attention ratio, was measured on the inputs the bound is checked on).
    /// </summary>
    public string BoundScope { get; init; } = "global";

    /// <summary>λ_max(F(x)) per test input, from the exact white-box estimator.</summary>
    public required IReadOnlyList<double> LambdaMax { get; init; }

    /// <summary>Accuracy on the clean test inputs, in [0, 1].</summary>
    public required double CleanAccuracy { get; init; }

    /// <summary>Accuracy under PGD at the run's ε, in [0, 1].</summary>
    public required double RobustAccuracyPgd { get; init; }

    /// <summary>Accuracy under CW, in [0, 1]; null when CW was not run.</summary>
    public double? RobustAccuracyCw { get; init; }

    /// <summary>The bound's factors, in execution order.</summary>
    public IReadOnlyList<LayerBoundFactor> Layers { get; init; } = [];

    /// <summary>Per-input pairs (λ_max, minimal ε) for the correlation and the scatter plot.</summary>
    public IReadOnlyList<InputSensitivity> Inputs { get; init; } = [];

    /// <summary>
    /// Optional: the λ_max–ε correlation computed elsewhere (e.g. with a bootstrap CI). When null the
    /// builder computes Spearman's ρ with a Fisher-z interval from <see cref="Inputs"/>.
    /// </summary>
    public CorrelationEstimate? EpsilonCorrelation { get; init; }

    /// <summary>Where the bound's gap to the measurement comes from; null when it was not computed.</summary>
    public BoundLooseness? Looseness { get; init; }

    /// <summary>Certified accuracy, radii and the local FIM bound on the first inputs; null when certification was not run.</summary>
    public CertificationMeasurement? Certification { get; init; }
}

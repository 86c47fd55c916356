namespace FimBounds.Reports.Model;

/// <summary>
/// A model's certification on the first test inputs (the attack side of the sandwich comes from the same
/// inputs' minimal-ε search): per input, certified or not at each of <see cref="Epsilons"/>, the certified
/// radius, and the local FIM bound Λ(x, <see cref="LocalEpsilon"/>) beside the largest λ_max found in that
/// ball. <see cref="Unsupported"/> says why a model was not certified (attention layers); the other lists
/// are then empty.
/// </summary>
public sealed record CertificationMeasurement
{
    /// <summary>The method's name (as the command line spells it): "ibp", "crown-ibp", "crown", "alpha-crown" or "crown-full".</summary>
    public required string Method { get; init; }

    /// <summary>The perturbation norm, pixel units ("linf").</summary>
    public required string Norm { get; init; }

    /// <summary>The radii at which certified accuracy is reported, ascending.</summary>
    public required IReadOnlyList<double> Epsilons { get; init; }

    /// <summary>The radius of the ball over which <see cref="CertifiedInput.LocalFimBound"/> holds.</summary>
    public required double LocalEpsilon { get; init; }

    /// <summary>The bisection's resolution: radii are certified lower ends of a bracket this wide.</summary>
    public required double RadiusTolerance { get; init; }

    public required IReadOnlyList<CertifiedInput> Inputs { get; init; }

    /// <summary>Null when certified; otherwise the one-line reason (e.g. "not supported for certification: …").</summary>
    public string? Unsupported { get; init; }
}

/// <summary>One input's certificates and its attack result.</summary>
/// <param name="Index">Position among the measured test inputs.</param>
/// <param name="Correct">Classified correctly at the centre (misclassified inputs are never certified).</param>
/// <param name="CertifiedAt">Per <see cref="CertificationMeasurement.Epsilons"/>: every margin of the label is positive over the ball.</param>
/// <param name="Radius">The certified radius (0 when misclassified or certified nowhere).</param>
/// <param name="PgdMinimalEpsilon">The smallest ε at which PGD found an adversarial example; +∞ when none within the search; null when not searched.</param>
/// <param name="LocalFimBound">Λ(x, ε) ≥ λ_max(F(x')) for every x' in the ball of radius LocalEpsilon.</param>
/// <param name="LargestLambdaInBall">The largest exact λ_max found at the centre and at sampled points of that ball.</param>
public sealed record CertifiedInput(
    int Index, bool Correct, IReadOnlyList<bool> CertifiedAt, double Radius, double? PgdMinimalEpsilon,
    double LocalFimBound, double LargestLambdaInBall);

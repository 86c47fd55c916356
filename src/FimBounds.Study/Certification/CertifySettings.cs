namespace FimBounds.Study.Certification;

/// <summary>Everything `fimbounds certify` was asked for (option names in the comments).</summary>
/// <param name="Spec">&lt;spec&gt;.</param>
/// <param name="Checkpoint">--checkpoint.</param>
/// <param name="Norm">--norm: linf or l2.</param>
/// <param name="Epsilon">--eps, pixel units; null = the norm's default (<see cref="CertifySettings.DefaultEpsilon"/>).</param>
/// <param name="Radius">--radius: also bisect every input's certified radius.</param>
/// <param name="Method">--method: ibp or crown.</param>
/// <param name="Samples">--samples: the first N test images.</param>
/// <param name="Json">--json.</param>
/// <param name="Seed">--seed: PGD's random starts and the ball's sample points.</param>
/// <param name="Data">--data.</param>
public sealed record CertifySettings(
    string Spec, string Checkpoint, string Norm, double? Epsilon, bool Radius, string Method, int Samples, string? Json, long Seed, string? Data,
    string? SpecAssembly = null)
{
    /// <summary>1/255 in L∞ (the local-FIM target radius), 0.1 in L2.</summary>
    public double EffectiveEpsilon => Epsilon ?? (Norm == "l2" ? 0.1 : 1.0 / 255.0);

    /// <summary>Points of the ball at which λ_max is measured for the tightness of Λ (besides the centre).</summary>
    public int BallPoints { get; init; } = 32;
}

namespace FimBounds.Engine.Certification;

/// <summary>The bisection for a certified radius: over [0, Maximum], stopping when the bracket is narrower than Tolerance.</summary>
public sealed record RadiusSearch(double Maximum, double Tolerance)
{
    /// <summary>L∞ in pixel units: up to 32/255 (the demo's minimal-ε search range), to 1/2048.</summary>
    public static RadiusSearch Linf { get; } = new(32.0 / 255.0, 1.0 / 2048.0);

    /// <summary>L2 in pixel units: up to 4, to 1/256.</summary>
    public static RadiusSearch L2 { get; } = new(4.0, 1.0 / 256.0);

    public static RadiusSearch For(PerturbationNorm norm) => norm == PerturbationNorm.Linf ? Linf : L2;
}

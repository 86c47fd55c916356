namespace FimBounds.Engine.Norms;

/// <summary>
/// A certified spectral norm: <see cref="Upper"/> is a rigorous upper bound (rounding margin included),
/// <see cref="Lower"/> a value the true norm is known to reach (‖Av‖ for a unit v found by power
/// iteration). Their ratio says how tight the certificate is.
/// </summary>
public sealed record OperatorNorm(double Lower, double Upper, string Method)
{
    /// <summary>Upper/Lower − 1: the certificate's slack relative to what was observed.</summary>
    public double Gap => Lower > 0 ? Upper / Lower - 1 : double.PositiveInfinity;

    public static OperatorNorm Exact(double value, string method) => new(value, RoundingMargin.Up(value), method);
}

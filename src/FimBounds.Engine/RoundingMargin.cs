namespace FimBounds.Engine;

/// <summary>
/// The relative margin added to every value the engine certifies as an upper bound, covering
/// floating-point rounding of the float64 computation that produced it (SVDs, eigen-solves, FFTs of at
/// most ~10⁵ terms: backward error ≲ n·ε_mach ≈ 10⁵ · 1.1e-16 ≈ 1e-11, taken with a factor 100 to spare).
/// It is not a tolerance on soundness: a bound off by more than this is a bug.
/// </summary>
public static class RoundingMargin
{
    public const double Relative = 1e-9;

    /// <summary>The value enlarged by the margin (for non-negative certified upper bounds).</summary>
    public static double Up(double value) => value * (1 + Relative);
}

using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>Elementwise bounds Lower ≤ value ≤ Upper, batch first.</summary>
internal readonly record struct Interval(Tensor Lower, Tensor Upper)
{
    /// <summary>The elementwise intersection of two sound intervals (sound, and tighter than either).</summary>
    public Interval Intersect(Interval other) => new(maximum(Lower, other.Lower), minimum(Upper, other.Upper));

    public Interval Plus(Interval other) => new(Lower.Plus(other.Lower), Upper.Plus(other.Upper));
}

using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Torch;

/// <summary>
/// Tensor arithmetic with numbers and sums of tensors, written so that every native Scalar a call reads
/// is alive until the call returns (see <see cref="Scalars"/>). TorchSharp's operators and one-argument
/// <c>add</c>/<c>add_</c> convert a C# number, or the implicit <c>alpha = 1</c>, into a temporary Scalar
/// that the garbage collector may free mid-call; these methods are the project's replacement for them.
/// An IL scan in the tests fails on any implicit conversion left in a FimBounds assembly.
/// </summary>
public static class TensorMath
{
    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary>a + alpha·b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double alpha) => With(alpha, s => a.add(b, s));

    /// <summary>a + value, element-wise.</summary>
    public static Tensor Plus(this Tensor a, double value) => With(value, s => a.add(s, Scalars.One));

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    /// <summary>a − value, element-wise.</summary>
    public static Tensor Minus(this Tensor a, double value) => With(value, a.sub);

    /// <summary>value − a, element-wise.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value) => With(value, s => a.neg().add(s, Scalars.One));

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, Scalars.One);

    /// <summary>a += alpha·b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b, double alpha) => With(alpha, s => a.add_(b, s));

    /// <summary>a += value, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double value) => With(value, s => a.add_(s, Scalars.One));

    /// <summary>a·value, element-wise.</summary>
    public static Tensor Times(this Tensor a, double value) => With(value, a.mul);

    /// <summary>a ·= value, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double value) => With(value, a.mul_);

    /// <summary>a / value, element-wise.</summary>
    public static Tensor DividedBy(this Tensor a, double value) => With(value, s => a.div(s));

    /// <summary>a^exponent, element-wise.</summary>
    public static Tensor Power(this Tensor a, double exponent) => With(exponent, a.pow);

    /// <summary>a clamped to [low, high].</summary>
    public static Tensor ClampTo(this Tensor a, double low, double high) => With(low, lo => With(high, hi => a.clamp(lo, hi)));

    /// <summary>a clamped to [low, high] in place.</summary>
    public static Tensor ClampToInPlace(this Tensor a, double low, double high) => With(low, lo => With(high, hi => a.clamp_(lo, hi)));

    /// <summary>max(a, low), element-wise.</summary>
    public static Tensor ClampBelow(this Tensor a, double low) => With(low, a.clamp_min);

    /// <summary>min(a, high), element-wise.</summary>
    public static Tensor ClampAbove(this Tensor a, double high) => With(high, a.clamp_max);

    /// <summary>A tensor of the given shape filled with value.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device? device = null) =>
        With(value, s => full(shape, s, dtype, device));

    /// <summary>A tensor shaped like a, filled with value.</summary>
    public static Tensor FilledLike(this Tensor a, double value) => With(value, s => full_like(a, s));

    /// <summary>a where condition holds, value elsewhere.</summary>
    public static Tensor Where(this Tensor a, Tensor condition, double value)
    {
        using var fill = a.FilledLike(value);
        return where(condition, a, fill);
    }

    /// <summary>Runs one libtorch call with value as a Scalar that is disposed only after the call returned.</summary>
    private static Tensor With(double value, Func<Scalar, Tensor> call)
    {
        using var scalar = value.ToScalar();
        return call(scalar);
    }
}

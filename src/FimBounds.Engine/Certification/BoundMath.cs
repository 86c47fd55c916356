using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// The arithmetic bound propagation needs, written with owned Scalars: an implicit double → Scalar
/// (or the alpha = 1 inside tensor + tensor) is freed by the finalizer, possibly while libtorch still
/// reads it. Every result is an ordinary tensor in the caller's dispose scope.
/// </summary>
internal static class BoundMath
{
    public static Tensor Plus(this Tensor a, Tensor b)
    {
        using Scalar one = 1.0.ToScalar();
        return a.add(b, one);
    }

    public static Tensor Minus(this Tensor a, Tensor b)
    {
        using Scalar minusOne = (-1.0).ToScalar();
        return a.add(b, minusOne);
    }

    public static Tensor Times(this Tensor a, double factor)
    {
        using Scalar s = factor.ToScalar();
        return a.mul(s);
    }

    public static Tensor Plus(this Tensor a, double value)
    {
        using Scalar s = value.ToScalar();
        using Scalar one = 1.0.ToScalar();
        return a.add(s, one);
    }

    public static Tensor AtLeast(this Tensor a, double floor)
    {
        using Scalar s = floor.ToScalar();
        return a.clamp_min(s);
    }

    public static Tensor AtMost(this Tensor a, double ceiling)
    {
        using Scalar s = ceiling.ToScalar();
        return a.clamp_max(s);
    }

    /// <summary>The positive part max(a, 0).</summary>
    public static Tensor PositivePart(this Tensor a) => nn.functional.relu(a);

    /// <summary>The negative part min(a, 0).</summary>
    public static Tensor NegativePart(this Tensor a) => a.neg().relu().neg();

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>, like <paramref name="like"/>'s dtype.</summary>
    public static Tensor Filled(long[] shape, double value, Tensor like)
    {
        using Scalar s = value.ToScalar();
        return full(shape, s, dtype: like.dtype, device: like.device);
    }

    /// <summary>A per-input tensor [B, …] broadcast over the rows of a coefficient tensor [B, R, …].</summary>
    public static Tensor PerRow(this Tensor perInput) => perInput.unsqueeze(1);

    /// <summary>Runs <paramref name="op"/> on a tensor with <paramref name="leading"/> batch axes flattened into one.</summary>
    public static Tensor OnFlattened(this Tensor t, int leading, Func<Tensor, Tensor> op)
    {
        if (leading == 1)
        {
            return op(t);
        }
        long[] shape = t.shape;
        long rows = shape.Take(leading).Aggregate(1L, (a, b) => a * b);
        Tensor flat = op(t.reshape(new[] { rows }.Concat(shape.Skip(leading)).ToArray()));
        return flat.reshape(shape.Take(leading).Concat(flat.shape.Skip(1)).ToArray());
    }
}

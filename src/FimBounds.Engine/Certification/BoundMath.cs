using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>Tensor helpers of bound propagation: sign parts of coefficients and batch-axis bookkeeping.</summary>
internal static class BoundMath
{
    /// <summary>The positive part max(a, 0).</summary>
    public static Tensor PositivePart(this Tensor a) => nn.functional.relu(a);

    /// <summary>The negative part min(a, 0).</summary>
    public static Tensor NegativePart(this Tensor a) => a.neg().relu().neg();

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

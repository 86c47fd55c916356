using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Runs a map over the rows of forward linear bounds [B, d, features…] a slice of rows at a time and writes the slices
/// into outputs allocated once. Why: a map over the whole tensor makes several temporaries of its full size (tens of MB
/// each on the mini CNNs, one row per input pixel), and glibc serves every allocation above 32 MB with fresh pages from
/// the kernel: on densenet-mini a third of CROWN's time went to zeroing pages. Slices keep the temporaries small enough to
/// be reused and to stay in cache. The map must treat rows independently (every layer does: rows are a batch of images).
/// </summary>
internal static class RowSlices
{
    /// <summary>Elements of the first input per slice (8 MB of float64).</summary>
    public const long ElementBudget = 1L << 18;

    /// <summary>
    /// The map over all rows, a slice at a time; outputs above the budget come from <paramref name="buffers"/> when given
    /// (filled by copying, so they never alias an input).
    /// </summary>
    public static Tensor[] Map(Tensor[] inputs, Func<Tensor[], Tensor[]> map, BufferPool? buffers = null)
    {
        Tensor first = inputs[0];
        long rows = first.shape[1];
        long perRow = first.numel() / Math.Max(1, rows);
        long slice = Math.Max(1, ElementBudget / Math.Max(1, perRow));
        if (slice >= rows)
        {
            return map(inputs);
        }
        Tensor[]? outputs = null;
        for (long start = 0; start < rows; start += slice)
        {
            long count = Math.Min(slice, rows - start);
            using DisposeScope scope = NewDisposeScope();
            Tensor[] parts = map(inputs.Select(t => t.narrow(1, start, count)).ToArray());
            if (outputs is null)
            {
                outputs = parts.Select(p => Output(new[] { p.shape[0], rows }.Concat(p.shape.Skip(2)).ToArray(), p, buffers)).ToArray();
                scope.MoveToOuter(outputs);
            }
            for (int i = 0; i < parts.Length; i++)
            {
                outputs[i].narrow(1, start, count).copy_(parts[i]);
            }
        }
        return outputs!;
    }

    /// <summary>
    /// [first, second] joined along the first feature axis (dim 2 of [B, d, features…]) into one output, rented from
    /// <paramref name="buffers"/> when above the budget (a copy, so it aliases neither part).
    /// </summary>
    public static Tensor Concatenate(Tensor first, Tensor second, BufferPool? buffers)
    {
        long[] shape = first.shape.ToArray();
        shape[2] += second.shape[2];
        Tensor joined = Output(shape, first, buffers);
        joined.narrow(2, 0, first.shape[2]).copy_(first);
        joined.narrow(2, first.shape[2], second.shape[2]).copy_(second);
        return joined;
    }

    private static Tensor Output(long[] shape, Tensor like, BufferPool? buffers) =>
        buffers is not null && shape.Aggregate(1L, (a, b) => a * b) > ElementBudget
            ? buffers.Rent(shape, like.dtype, like.device)
            : empty(shape, dtype: like.dtype, device: like.device);
}

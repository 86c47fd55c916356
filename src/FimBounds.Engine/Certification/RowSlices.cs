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
    public const long ElementBudget = 1L << 20;

    public static Tensor[] Map(Tensor[] inputs, Func<Tensor[], Tensor[]> map)
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
                outputs = parts.Select(p => empty(new[] { p.shape[0], rows }.Concat(p.shape.Skip(2)).ToArray(), dtype: p.dtype, device: p.device)).ToArray();
                scope.MoveToOuter(outputs);
            }
            for (int i = 0; i < parts.Length; i++)
            {
                outputs[i].narrow(1, start, count).copy_(parts[i]);
            }
        }
        return outputs!;
    }
}

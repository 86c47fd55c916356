using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Forward-mode linear bounds of a layer's values in terms of the input x ∈ region: for every input b
/// and feature i, Lower[b]·x + LowerConstant[b, i] ≤ value_i ≤ Upper[b]·x + UpperConstant[b, i].
/// Coefficients are [B, d, features…] (one row per input pixel, so a layer applies to them as to a
/// batch of B·d images), constants [B, features…]. Until the first nonlinear layer the two bounds are
/// one affine function (<see cref="Exact"/>), and a layer is applied once instead of twice.
/// </summary>
internal sealed record LinearBounds(Tensor Lower, Tensor LowerConstant, Tensor Upper, Tensor UpperConstant, bool Exact)
{
    /// <summary>The identity x ↦ x on the region's inputs [B, C, H, W]: coefficients [B, d, C, H, W].</summary>
    public static LinearBounds Identity(InputRegion region)
    {
        long[] shape = region.Centre.shape;
        long d = region.Dimension;
        Tensor eye = torch.eye(d, dtype: region.Centre.dtype, device: region.Centre.device);
        Tensor coefficients = eye.unsqueeze(0).expand(shape[0], d, d).reshape(new[] { shape[0], d }.Concat(shape.Skip(1)).ToArray());
        Tensor constants = zeros_like(region.Centre);
        return new LinearBounds(coefficients, constants, coefficients, constants, Exact: true);
    }

    public static LinearBounds Of(Tensor lower, Tensor lowerConstant, Tensor upper, Tensor upperConstant) =>
        new(lower, lowerConstant, upper, upperConstant, Exact: false);

    /// <summary>The four tensors, each once (an exact bound's two sides are one tensor each).</summary>
    public IReadOnlyList<Tensor> Tensors => new[] { Lower, LowerConstant, Upper, UpperConstant }.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();

    /// <summary>
    /// Frees the tensors <paramref name="kept"/> does not hold (a layer's consumed input once its output exists), handing
    /// rented ones back to <paramref name="buffers"/>.
    /// </summary>
    public void DisposeExcept(LinearBounds kept, BufferPool? buffers)
    {
        IReadOnlyList<Tensor> keep = kept.Tensors;
        foreach (Tensor t in Tensors.Where(t => !keep.Any(k => ReferenceEquals(k, t))))
        {
            if (buffers is null)
            {
                t.Dispose();
            }
            else
            {
                buffers.Return(t);
            }
        }
    }

    /// <summary>Elementwise bounds over the region [B, features…].</summary>
    public Interval Concretize(InputRegion region)
    {
        long batch = LowerConstant.shape[0];
        long[] features = LowerConstant.shape;
        Tensor flatLower = Lower.reshape(batch, region.Dimension, -1);
        Tensor flatUpper = Upper.reshape(batch, region.Dimension, -1);
        Tensor lowerConstant = LowerConstant.reshape(batch, -1);
        Tensor upperConstant = UpperConstant.reshape(batch, -1);
        long count = lowerConstant.shape[1];
        // A slice of features at a time, for the reason RowSlices gives: |coefficients| is a temporary of their full size.
        long slice = Math.Max(1, RowSlices.ElementBudget / Math.Max(1, batch * region.Dimension));
        var lower = new List<Tensor>();
        var upper = new List<Tensor>();
        for (long start = 0; start < count; start += slice)
        {
            long n = Math.Min(slice, count - start);
            using DisposeScope scope = NewDisposeScope();
            Tensor RowsFirst(Tensor coefficients) => coefficients.narrow(2, start, n).transpose(1, 2);
            Tensor low = region.MinimumOf(RowsFirst(flatLower), lowerConstant.narrow(1, start, n));
            Tensor high = region.MinimumOf(RowsFirst(flatUpper).neg(), upperConstant.narrow(1, start, n).neg()).neg();
            lower.Add(low.MoveToOuterDisposeScope());
            upper.Add(high.MoveToOuterDisposeScope());
        }
        return new Interval(cat(lower, 1).reshape(features), cat(upper, 1).reshape(features));
    }
}

/// <summary>
/// Backward-mode (CROWN) state: a lower bound Σ_i Coefficients[b, s, i]·value_i + Constant[b, s] of the
/// specification rows s at the current layer's output, pulled back one layer at a time to the input.
/// Coefficients [B, S, features…], constant [B, S].
/// </summary>
internal sealed record BackwardBound(Tensor Coefficients, Tensor Constant);

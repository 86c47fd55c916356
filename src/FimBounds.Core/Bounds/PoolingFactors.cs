using System;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// Sound ℓ2 Lipschitz factors of pooling layers, computed exactly from the windows at the layer's own
/// input size (so uneven adaptive windows, padding and borders are accounted for, not approximated).
/// A 2-D pool acts per channel as the Kronecker product of two 1-D window operators, so every factor
/// is the product of a height factor and a width factor.
/// </summary>
public static class PoolingFactors
{
    /// <summary>
    /// Max pool: |max x_W − max y_W| ≤ max_{i∈W} |x_i − y_i|, so ‖Δout‖² ≤ Σ_windows Σ_{i∈W} δ_i² ≤ c·‖δ‖²
    /// with c the most windows any input lies in: factor √(c_h·c_w) (= ⌈k/s⌉ away from borders, 1 when s ≥ k).
    /// </summary>
    public static Expr MaxPool(MaxPool2d pool)
    {
        long ch = MostWindowsPerInput(pool.Input[1], pool.Output[1], pool.KernelSize, pool.Stride, pool.Padding);
        long cw = MostWindowsPerInput(pool.Input[2], pool.Output[2], pool.KernelSize, pool.Stride, pool.Padding);
        return Expr.Sqrt(Expr.Num(Number.Integer(ch * cw)));
    }

    /// <summary>
    /// Average pool (PyTorch's default count_include_pad: every window divides by k²). Per axis the
    /// operator has entries 1/k; by Schur's bound ‖A‖₂ ≤ √(max column sum · max row sum) =
    /// √(c·r)/k with c the most windows per input and r the most real inputs per window.
    /// Non-overlapping windows give 1/√(k²) = 1/k.
    /// </summary>
    public static Expr AvgPool(AvgPool2d pool)
    {
        long k = pool.KernelSize;
        long ch = MostWindowsPerInput(pool.Input[1], pool.Output[1], pool.KernelSize, pool.Stride, pool.Padding);
        long cw = MostWindowsPerInput(pool.Input[2], pool.Output[2], pool.KernelSize, pool.Stride, pool.Padding);
        long rh = MostInputsPerWindow(pool.Input[1], pool.Output[1], pool.KernelSize, pool.Stride, pool.Padding);
        long rw = MostInputsPerWindow(pool.Input[2], pool.Output[2], pool.KernelSize, pool.Stride, pool.Padding);
        return Expr.Sqrt(Expr.Num(Number.Rational(ch * cw * rh * rw, k * k * k * k)));
    }

    /// <summary>
    /// Adaptive average pool: window o of an axis is [⌊oN/M⌋, ⌈(o+1)N/M⌉) with weight 1/length; rows sum
    /// to 1, so the factor per axis is √(max column sum), exact over the uneven windows. Global pooling
    /// over H×W gives 1/√(HW).
    /// </summary>
    public static Expr AdaptiveAvgPool(AdaptiveAvgPool2d pool)
    {
        Number h = MaxColumnSum(pool.Input[1], pool.OutputHeight);
        Number w = MaxColumnSum(pool.Input[2], pool.OutputWidth);
        return Expr.Sqrt(Expr.Num(h * w));
    }

    private static long WindowStart(long o, long stride, long padding) => o * stride - padding;

    private static long MostWindowsPerInput(int inputLength, int outputLength, int kernel, int stride, int padding)
    {
        var counts = new long[inputLength];
        for (long o = 0; o < outputLength; o++)
        {
            long start = WindowStart(o, stride, padding);
            for (long i = Math.Max(0, start); i < Math.Min(inputLength, start + kernel); i++)
            {
                counts[i]++;
            }
        }
        long most = 0;
        foreach (long c in counts)
        {
            most = Math.Max(most, c);
        }
        return most;
    }

    private static long MostInputsPerWindow(int inputLength, int outputLength, int kernel, int stride, int padding)
    {
        long most = 0;
        for (long o = 0; o < outputLength; o++)
        {
            long start = WindowStart(o, stride, padding);
            long real = Math.Min(inputLength, start + kernel) - Math.Max(0, start);
            most = Math.Max(most, real);
        }
        return most;
    }

    private static Number MaxColumnSum(int inputLength, int outputLength)
    {
        var sums = new Number[inputLength];
        for (int i = 0; i < inputLength; i++)
        {
            sums[i] = Number.Zero;
        }
        for (long o = 0; o < outputLength; o++)
        {
            long start = o * inputLength / outputLength;
            long end = ((o + 1) * inputLength + outputLength - 1) / outputLength;
            Number weight = Number.Rational(1, end - start);
            for (long i = start; i < end; i++)
            {
                sums[i] += weight;
            }
        }
        Number most = Number.Zero;
        foreach (Number s in sums)
        {
            if (s > most)
            {
                most = s;
            }
        }
        return most;
    }
}

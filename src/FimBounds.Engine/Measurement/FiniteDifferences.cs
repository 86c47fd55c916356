using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Forward-only directional derivatives of log p: D_jk = (log p_k(x + h v_j) − log p_k(x − h v_j)) / 2h ≈ g_kᵀv_j,
/// with the 2m perturbed inputs evaluated in chunks. Central differences have error O(h²) from the third
/// derivative and O(ε/h) from rounding; h = ε^⅓ balances the two.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>The step that balances truncation and rounding error for a dtype: ε_mach^⅓.</summary>
    public static double DefaultStep(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => Math.Cbrt(Math.Pow(2, -52)),
        ScalarType.Float32 => Math.Cbrt(Math.Pow(2, -23)),
        ScalarType.Float16 => Math.Cbrt(Math.Pow(2, -10)),
        ScalarType.BFloat16 => Math.Cbrt(Math.Pow(2, -7)),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point dtype"),
    };

    /// <summary>
    /// D [m, K] float64 for one input <paramref name="x"/> (shape without batch) and unit directions
    /// <paramref name="directions"/> [m, d], at most <paramref name="perForward"/> perturbed inputs per forward pass.
    /// </summary>
    public static Tensor DirectionalDerivatives(nn.Module<Tensor, Tensor> model, Tensor x, Tensor directions, double h, int perForward,
        CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long m = directions.shape[0];
        long[] shape = x.shape;
        Tensor flat = x.reshape(1, -1).to(float64);
        int half = Math.Max(1, perForward / 2);
        var parts = new List<Tensor>();
        for (long start = 0; start < m; start += half)
        {
            cancellation.ThrowIfCancellationRequested();
            long count = Math.Min(half, m - start);
            Tensor v = directions.narrow(0, start, count);
            Tensor plus = flat.Plus(v.Times(h));
            Tensor minus = flat - v.Times(h);
            Tensor batch = cat(new[] { plus, minus }, 0).reshape(new[] { 2 * count }.Concat(shape).ToArray()).to(x.dtype);
            Tensor logP = nn.functional.log_softmax(InputJacobian.Logits(model, batch).to(float64), 1);
            parts.Add((logP.narrow(0, 0, count) - logP.narrow(0, count, count)).DividedBy(2 * h));
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}

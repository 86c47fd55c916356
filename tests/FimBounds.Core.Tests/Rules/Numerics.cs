using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>Exact Jacobians and spectral norms of small float64 maps, the ground truth of the rule checks.</summary>
public static class Numerics
{
    /// <summary>Seeds torch and pins it to one thread, so every check is reproducible.</summary>
    public static void Seed(int seed)
    {
        torch.set_num_threads(1);
        torch.manual_seed(seed);
    }

    /// <summary>The dense Jacobian ∂f(x)/∂x (outputs × inputs, flattened), one backward pass per output.</summary>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor input = x.detach().clone().requires_grad_(true);
        Tensor y = f(input).reshape(-1);
        long outputs = y.shape[0];
        var rows = new Tensor[outputs];
        for (long i = 0; i < outputs; i++)
        {
            rows[i] = autograd.grad(new[] { y[i] }, new[] { input }, retain_graph: true, allow_unused: true)[0] is Tensor g && !g.IsInvalid
                ? g.reshape(-1).detach()
                : zeros(input.numel(), dtype: float64);
        }
        return stack(rows).MoveToOuterDisposeScope();
    }

    /// <summary>The largest singular value.</summary>
    public static double SpectralNorm(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        Tensor m = matrix.dim() == 1 ? matrix.reshape(1, -1) : matrix.reshape(matrix.shape[0], -1);
        return linalg.svdvals(m.to(float64))[0].item<double>();
    }

    /// <summary>‖J_f(x)‖₂: the local Lipschitz constant of f at x.</summary>
    public static double JacobianNorm(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        return SpectralNorm(Jacobian(f, x));
    }

    /// <summary>Asserts measured ≤ bound. The only slack is float64 rounding of the measured norm (10⁻¹² relative).</summary>
    public static void AssertBounded(double measured, double bound, string what)
    {
        Assert.True(double.IsFinite(bound), $"{what}: the bound is {bound}");
        Assert.True(measured <= bound * (1 + 1e-12) + 1e-15, $"{what}: measured ‖J‖ = {measured:R} exceeds the bound {bound:R}");
    }

    /// <summary>Asserts the bound is exact (linear layers whose factor is their own operator norm).</summary>
    public static void AssertExact(double measured, double bound, string what)
    {
        AssertBounded(measured, bound, what);
        Assert.True(measured >= bound * (1 - 1e-9), $"{what}: the bound {bound:R} should equal ‖J‖ = {measured:R}");
    }
}

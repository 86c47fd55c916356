using FimBounds.Data;
using FimBounds.Engine.Measurement;
using FimBounds.Zoo;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Measurement;

/// <summary>
/// The exact method may run its backward passes on libtorch's own kernels instead of oneDNN's: the
/// choice must not change the numbers beyond float32 round-off, must be remembered, and must leave
/// libtorch's global switch as it found it.
/// </summary>
public sealed class BackwardKernelChoiceTests
{
    [Fact]
    public void Both_kernel_families_give_the_same_input_gradients_and_fim()
    {
        Assert.True(LibTorchContext.IsAvailable, "libtorch's context switches should resolve on this platform");
        manual_seed(12);
        var model = ZooCatalog.Find("densenet-mini").CreateModel();
        model.eval();
        Tensor x = rand(16, 1, 28, 28);

        // oneDNN's kernels, by hand: rows ∇ₓ Σ_b (z_k − z_K) as InputJacobian defines them.
        Tensor leaf = x.detach().requires_grad_(true);
        Tensor z = model.call(leaf);
        Tensor[] oneDnn = Enumerable.Range(0, 9)
            .Select(k => autograd.grad(new[] { (z.select(1, k) - z.select(1, 9)).sum() }, new[] { leaf }, retain_graph: true)[0].reshape(16, -1).to(float64))
            .ToArray();
        Tensor libTorch;
        using (BackwardKernelChoice.Without())
        {
            libTorch = InputJacobian.Compute(model, x, CancellationToken.None).Jacobian;
        }

        Assert.True(LibTorchContext.OneDnnEnabled, "the oneDNN switch must be restored");
        for (int k = 0; k < 9; k++)
        {
            double error = ((libTorch.select(1, k) - oneDnn[k]).abs().max() / oneDnn[k].abs().max()).item<double>();
            Assert.True(error < 1e-5, $"row {k}: libtorch and oneDNN input gradients differ by {error:E2} relative");
        }
        Assert.Equal(0.0, libTorch.select(1, 9).abs().max().item<double>());
    }

    [Fact]
    public void The_choice_is_timed_once_per_model_and_shape()
    {
        var model = new object();
        using Tensor x = zeros(4, 1, 28, 28);
        int passes = 0;

        BackwardKernelChoice.PreferLibTorchKernels(model, x, () => passes++);
        int timed = passes;
        BackwardKernelChoice.PreferLibTorchKernels(model, x, () => passes++);

        Assert.Equal(4, timed);
        Assert.Equal(timed, passes);
        using Tensor other = zeros(8, 1, 28, 28);
        BackwardKernelChoice.PreferLibTorchKernels(model, other, () => passes++);
        Assert.Equal(2 * timed, passes);
        Assert.True(LibTorchContext.OneDnnEnabled);
    }
}

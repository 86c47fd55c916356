using FimBounds.Data;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Data;

public sealed class NativeBackendTests
{
    /// <summary>
    /// Regression test of the oneDNN defect <see cref="NativeBackend"/> works around: batched float32
    /// Conv2d input gradients must match float64 ones (they were off by up to 50 % with AVX-512 kernels).
    /// </summary>
    [Fact]
    public void Batched_float32_conv_input_gradients_match_float64()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var conv = nn.Conv2d(1, 8, 3, padding: 1);
        using var conv64 = nn.Conv2d(1, 8, 3, padding: 1, dtype: ScalarType.Float64);
        using (no_grad())
        {
            conv64.weight!.copy_(conv.weight!);
            conv64.bias!.copy_(conv.bias!);
        }
        (Tensor x, _) = EmbeddedData.Test.Batch(0, 64);

        Tensor leaf = x.detach().requires_grad_(true);
        Tensor leaf64 = x.to_type(ScalarType.Float64).requires_grad_(true);
        Tensor gradient = autograd.grad(new[] { conv.call(leaf).square().sum() }, new[] { leaf })[0];
        Tensor reference = autograd.grad(new[] { conv64.call(leaf64).square().sum() }, new[] { leaf64 })[0];

        double relative = ((gradient.to_type(ScalarType.Float64) - reference).abs().max() / reference.abs().max()).item<double>();
        Assert.True(relative < 1e-5, $"conv input gradient off by {relative:E2} (oneDNN ISA: {Environment.GetEnvironmentVariable(NativeBackend.OneDnnIsaVariable)})");
    }
}

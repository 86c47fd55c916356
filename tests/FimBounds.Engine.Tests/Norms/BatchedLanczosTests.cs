using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>The batched Ritz values that choose certification levels: never above a block's λ_max, exact once the Krylov space is full.</summary>
public sealed class BatchedLanczosTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(12)]
    public void Top_ritz_value_is_a_value_each_block_reaches(int steps)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        Tensor d = complex(randn(new long[] { 5, 12, 20 }, dtype: float64, generator: generator), randn(new long[] { 5, 12, 20 }, dtype: float64, generator: generator));
        Tensor blocks = d.matmul(d.conj().transpose(1, 2));
        double[] exact = linalg.eigvalsh(blocks).select(1, -1).data<double>().ToArray();
        double[] ritz = BatchedLanczos.TopRitzValues(blocks, steps).data<double>().ToArray();
        for (int b = 0; b < exact.Length; b++)
        {
            Assert.True(ritz[b] <= exact[b] * (1 + 1e-12), $"block {b}: Ritz value {ritz[b]} above λ_max {exact[b]}");
            Assert.True(ritz[b] >= exact[b] * (steps >= 12 ? 1 - 1e-10 : 0.5), $"block {b}: Ritz value {ritz[b]} far below λ_max {exact[b]}");
        }
    }
}

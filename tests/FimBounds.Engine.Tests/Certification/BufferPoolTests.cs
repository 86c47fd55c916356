using FimBounds.Engine.Certification;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>A returned buffer serves the next rent that fits; one still rented, or forgotten at a run's end, never does.</summary>
public sealed class BufferPoolTests
{
    [Fact]
    public void Only_returned_buffers_are_handed_out_again()
    {
        using var scope = NewDisposeScope();
        using var pool = new BufferPool();
        Device cpu = CPU;
        using Scalar one = 1.0.ToScalar(), two = 2.0.ToScalar(), three = 3.0.ToScalar(), four = 4.0.ToScalar();
        Tensor first = pool.Rent([1, 50, 40], float64, cpu).fill_(one);
        pool.Return(first);
        // Smaller, so it fits the returned buffer: its uninitialised contents are the ones written before.
        Tensor second = pool.Rent([1, 30, 40], float64, cpu);
        Assert.Equal(1.0, second.min().item<double>());
        second.fill_(two);
        Tensor third = pool.Rent([1, 30, 40], float64, cpu).fill_(three);
        Assert.Equal(2.0, second.max().item<double>());

        // Forgotten at the run's end: still readable through its view, never handed out again.
        pool.EndRun();
        Tensor fourth = pool.Rent([1, 30, 40], float64, cpu).fill_(four);
        Assert.Equal(2.0, second.max().item<double>());
        Assert.Equal(3.0, third.max().item<double>());
        Assert.Equal(4.0, fourth.min().item<double>());
    }
}

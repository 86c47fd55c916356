using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>Deterministic torch state for a test: one intra-op thread and a fixed global seed.</summary>
public static class TestTensors
{
    public static void Seed(long seed)
    {
        set_num_threads(1);
        manual_seed(seed);
    }

    /// <summary>Uniform [0, 1] pixels, float64.</summary>
    public static Tensor Pixels(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return rand(shape, dtype: float64, generator: generator);
    }

    public static double[] Data(Tensor t) => t.to(float64).data<double>().ToArray();
}

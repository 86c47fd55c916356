using FimBounds.Core.Architecture;

namespace FimBounds.Generators.Building;

/// <summary>Output-size arithmetic of convolutions and pools (PyTorch's floor mode, dilation 1).</summary>
internal static class Shapes
{
    public static int SlidingOutput(int size, int kernel, int stride, int padding) => (size + 2 * padding - kernel) / stride + 1;

    public static bool IsImage(Shape shape) => shape.Rank == 3;

    public static bool IsTokens(Shape shape) => shape.Rank == 2;

    public static bool IsVector(Shape shape) => shape.Rank == 1;

    public static string Describe(Shape shape) => shape.Rank switch
    {
        3 => $"an image {shape} (C×H×W)",
        2 => $"tokens {shape} (tokens×dim)",
        1 => $"a vector of {shape[0]} features",
        _ => shape.ToString(),
    };
}

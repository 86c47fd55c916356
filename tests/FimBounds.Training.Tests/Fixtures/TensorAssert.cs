using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Fixtures;

public static class TensorAssert
{
    /// <summary>Same shape and bit-for-bit the same elements.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }
}

using FimBounds.Data;

namespace FimBounds.Training.Tests.Fixtures;

/// <summary>
/// A fact that needs the full Fashion-MNIST installed (Debian's dataset-fashion-mnist). Where it is not
/// installed — CI — the test is reported as skipped with the reason.
/// </summary>
public sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public RequiresFashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz")))
        {
            Skip = $"the full Fashion-MNIST is not installed at {FashionMnist.DebianDirectory} (apt install dataset-fashion-mnist)";
        }
    }
}

using System.Runtime.CompilerServices;

// libtorch's RNG and thread count are process-wide and every test here seeds them: tests run one at
// a time (on two cores, parallel tests would only oversubscribe libtorch's threads anyway).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FimBounds.Training.Tests.Fixtures;

internal static class TestAssemblyInitializer
{
    /// <summary>The oneDNN workaround must be in place before any test runs a convolution.</summary>
    [ModuleInitializer]
    internal static void Initialize() => FimBounds.Data.NativeBackend.ApplyWorkarounds();
}

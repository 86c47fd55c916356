using System.Runtime.CompilerServices;

// Tests share libtorch's global RNG (module initialisation) and thread pool: run them one at a time so
// every result is deterministic.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FimBounds.Engine.Tests.Support;

internal static class TestAssemblyInitializer
{
    /// <summary>
    /// oneDNN reads its ISA cap once, at its first convolution: the workaround must be in place before any
    /// test runs one, whichever test xunit happens to start with (see Data.NativeBackend).
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => FimBounds.Data.NativeBackend.ApplyWorkarounds();
}

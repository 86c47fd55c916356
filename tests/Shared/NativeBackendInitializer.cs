using System.Runtime.CompilerServices;

namespace FimBounds.Tests.Shared;

/// <summary>
/// oneDNN reads its ISA cap once, at its first convolution: the workarounds must be in place before any
/// test runs one, whichever test xunit happens to start with (see Torch.NativeBackend). Linked into every
/// test project that runs libtorch convolutions (the tool itself applies them in CliApplication.Run).
/// </summary>
internal static class NativeBackendInitializer
{
    [ModuleInitializer]
    internal static void Initialize() => FimBounds.Torch.NativeBackend.ApplyWorkarounds();
}

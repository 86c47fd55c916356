using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FimBounds.Data;

/// <summary>
/// Workarounds for defects of the native numeric backend, applied before libtorch's first convolution.
/// <para>
/// oneDNN 3.7.1 (inside libtorch 2.10 / TorchSharp 0.107) computes wrong float32 convolutions on AMD EPYC
/// (Zen 5) machines with its wider kernels. AVX-512: the input gradients of Conv2d for batches of more
/// than one input are off by 14–50 %, sometimes NaN. AVX2: when a channel count is not a multiple of the
/// kernels' block of 8 (DenseNet's 44/60/68 → 48 and 48 → 12 convolutions), padded blocks are read
/// uninitialised, so results depend on what the allocator hands back — NaN weights after training in
/// about one run in three, and test accuracy that varied between runs of one seed. Every input gradient
/// FimBounds takes (attacks, the FIM, the KL check) and every training step goes through these kernels.
/// Capping oneDNN at AVX (the ONEDNN_MAX_CPU_ISA variable, read once when oneDNN first dispatches) gives
/// results that match float64 to round-off and repeat bit for bit; on the development machine it was
/// also slightly faster than the AVX2 kernels for the mini zoo. A value the user set explicitly is left
/// alone. Regression tests: Training.Tests' NativeBackendTests.
/// </para>
/// <para>
/// glibc's allocator hands every block above 128 KiB (most activation tensors) back to the kernel on
/// free and maps it anew on the next allocation: every forward pass page-faults its activations in
/// again (measured: a third of the CPU time in the kernel, and a 16→16 3×3 convolution over a batch of
/// 64 taking 31 ms instead of 3 ms). Raising the mmap and trim thresholds keeps freed blocks in the heap.
/// </para>
/// <para>
/// NNPACK cannot initialise on CPUs it does not know ("Unsupported hardware") and libtorch then logs a
/// warning on every small convolution — hundreds of lines per run. It is never used on such machines,
/// so turning it off changes no number and silences the log.
/// </para>
/// </summary>
public static class NativeBackend
{
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string SafeIsa = "AVX";

    private static int _applied;

    /// <summary>Applies the workarounds once per process; safe to call any number of times.</summary>
    public static void ApplyWorkarounds()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }
        CapOneDnnIsa();
        KeepFreedMemoryMapped();
        // NNPACK is never used on CPUs it cannot initialise on; turning it off only silences the log.
        LibTorchContext.DisableNnpack();
    }

    private static void CapOneDnnIsa()
    {
        if (Environment.GetEnvironmentVariable(OneDnnIsaVariable) is { Length: > 0 })
        {
            return;
        }
        // .NET keeps its own copy of the environment on Unix; native getenv (oneDNN) only sees setenv.
        // An empty value counts as unset (oneDNN ignores it), so it is overwritten.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            NativeMethods.SetEnvironment(OneDnnIsaVariable, SafeIsa);
        }
        else
        {
            Environment.SetEnvironmentVariable(OneDnnIsaVariable, SafeIsa);
        }
    }

    private static void KeepFreedMemoryMapped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // M_MMAP_THRESHOLD at glibc's maximum (32 MiB on 64-bit), M_TRIM_THRESHOLD at 1 GiB.
            NativeMethods.MallOpt(NativeMethods.MmapThreshold, 32 << 20);
            NativeMethods.MallOpt(NativeMethods.TrimThreshold, 1 << 30);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (e.g. musl): its allocator has no such knobs.
        }
    }

    // Data is loaded before any model runs in every FimBounds path (training, attacks, measurement of
    // data), so its module initialiser runs before oneDNN's first dispatch.
#pragma warning disable CA2255 // a library module initialiser is the point: it must run before any native call
    [ModuleInitializer]
    internal static void OnLoad() => ApplyWorkarounds();
#pragma warning restore CA2255

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setenv")]
        private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

        static NativeMethods() =>
            NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, (name, assembly, path) =>
                name == "libc" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out IntPtr handle) ? handle : IntPtr.Zero);

        public const int TrimThreshold = -1;
        public const int MmapThreshold = -3;

        [DllImport("libc", EntryPoint = "mallopt")]
        public static extern int MallOpt(int parameter, int value);

        public static void SetEnvironment(string name, string value)
        {
            SetEnv(name, value, overwrite: 1);
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

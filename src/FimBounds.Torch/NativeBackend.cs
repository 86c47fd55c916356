using System.Runtime.InteropServices;

namespace FimBounds.Torch;

/// <summary>
/// Workarounds for defects of the native numeric backend, applied before libtorch's first convolution: once
/// at process start by the tool (CliApplication.Run) and by each test assembly's module initialiser.
/// <para>
/// oneDNN 3.7.1 (inside libtorch 2.10 / TorchSharp 0.107) computes wrong float32 convolutions on AMD EPYC
/// (Zen 5) machines with every kernel family wider than SSE4.1. Over a grid of 510 convolution shapes
/// (1–68 input channels, 1–48 output channels, kernels 1–7, strides 1–2) compared with float64: the
/// AVX kernels get 102 forward passes wrong — all of them kernels larger than 1×1 over an input
/// channel count above 8 that is not a multiple of 8 (9, 12, 20, 44 …), off by the size of the outputs
/// themselves — the AVX2 kernels 136 (they also read padded channel blocks uninitialised: NaN weights
/// after training in about one run in three), the AVX-512 kernels 178 (and input gradients off by
/// 14–50 %). With SSE4.1 all 510 are right, but slower than libtorch's own kernels (im2col + BLAS),
/// which are right too and on which a training step costs 0.98–1.15× what it did on oneDNN's AVX
/// kernels (mini zoo, batch 64). So oneDNN is switched off for the process
/// (at::globalContext().setUserEnabledMkldnn(false)), and its ISA capped at SSE4.1 as a second line for
/// where that switch cannot be reached. A user who sets ONEDNN_MAX_CPU_ISA opts back in: oneDNN then
/// stays on at that ISA. Regression tests: Training.Tests' NativeBackendTests.
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
    public const string SafeIsa = "SSE41";

    private static int _applied;

    /// <summary>Whether the user set <see cref="OneDnnIsaVariable"/> before the workarounds ran, keeping oneDNN on at that ISA.</summary>
    public static bool OneDnnKeptByUser { get; private set; }

    /// <summary>Applies the workarounds once per process; safe to call any number of times.</summary>
    public static void ApplyWorkarounds()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }
        OneDnnKeptByUser = Environment.GetEnvironmentVariable(OneDnnIsaVariable) is { Length: > 0 };
        if (!OneDnnKeptByUser)
        {
            CapOneDnnIsa();
            LibTorchContext.OneDnnEnabled = false;
        }
        KeepFreedMemoryMapped();
        // NNPACK is never used on CPUs it cannot initialise on; turning it off only silences the log.
        LibTorchContext.DisableNnpack();
    }

    private static void CapOneDnnIsa()
    {
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

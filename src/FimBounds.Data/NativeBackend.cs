using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FimBounds.Data;

/// <summary>
/// Workarounds for defects of the native numeric backend, applied before libtorch's first convolution.
/// <para>
/// oneDNN 3.7.1 (inside libtorch 2.10 / TorchSharp 0.107) computes wrong float32 <i>input</i> gradients
/// of Conv2d for batches of more than one input with its AVX-512 kernels on AMD EPYC (Zen 5) machines
/// (measured: relative error 0.14–0.5, sometimes NaN; weight gradients are correct, and a batch of one
/// or float64 is correct). Every input gradient FimBounds takes — attacks, the FIM, the KL check —
/// goes through that kernel. Capping oneDNN at AVX2 (the ONEDNN_MAX_CPU_ISA variable, read once when
/// oneDNN first dispatches) gives correct gradients (relative error 4e-7) at a small speed cost on
/// AVX-512 machines. A value the user set explicitly is left alone.
/// </para>
/// </summary>
public static class NativeBackend
{
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string SafeIsa = "AVX2";

    private static int _applied;

    /// <summary>Applies the workarounds once per process; safe to call any number of times.</summary>
    public static void ApplyWorkarounds()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable(OneDnnIsaVariable) is { Length: > 0 })
        {
            return;
        }
        // .NET keeps its own copy of the environment on Unix; native getenv (oneDNN) only sees setenv.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            NativeMethods.SetEnvironment(OneDnnIsaVariable, SafeIsa);
        }
        else
        {
            Environment.SetEnvironmentVariable(OneDnnIsaVariable, SafeIsa);
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

        public static void SetEnvironment(string name, string value)
        {
            SetEnv(name, value, overwrite: 0);
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

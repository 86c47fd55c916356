using System.Runtime.InteropServices;
using TorchSharp;

namespace FimBounds.Torch;

/// <summary>
/// Switches of libtorch's global context (at::globalContext()) that TorchSharp does not bind, called
/// through libtorch's exported C++ symbols on the copy TorchSharp loaded: TorchSharp is initialised
/// first, then the library is opened by its soname, which returns the loaded instance instead of
/// mapping a second one. Only where the Itanium C++ ABI names are exported (Linux, macOS); elsewhere,
/// or if a symbol is missing, <see cref="IsAvailable"/> is false and the setters do nothing.
/// </summary>
public static class LibTorchContext
{
    private static readonly Lazy<Exports?> Resolved = new(Resolve);

    public static bool IsAvailable => Resolved.Value is not null;

    /// <summary>at::globalContext().userEnabledMkldnn(): whether operators may dispatch to oneDNN.</summary>
    public static bool OneDnnEnabled
    {
        get => Resolved.Value is not { } e || e.GetMkldnn(e.Context) != 0;
        set
        {
            if (Resolved.Value is { } e)
            {
                e.SetMkldnn(e.Context, value ? (byte)1 : (byte)0);
            }
        }
    }

    /// <summary>Turns NNPACK off (at::globalContext().setUserEnabledNNPACK(false)).</summary>
    public static void DisableNnpack()
    {
        if (Resolved.Value is { } e)
        {
            e.SetNnpack(e.Context, 0);
        }
    }

    private static Exports? Resolve()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return null;
        }
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            string library = OperatingSystem.IsLinux() ? "libtorch_cpu.so" : "libtorch_cpu.dylib";
            if (!NativeLibrary.TryLoad(library, out IntPtr handle))
            {
                return null;
            }
            IntPtr Export(string name) => NativeLibrary.TryGetExport(handle, name, out IntPtr address) ? address : IntPtr.Zero;
            IntPtr globalContext = Export("_ZN2at13globalContextEv");
            IntPtr getMkldnn = Export("_ZNK2at7Context17userEnabledMkldnnEv");
            IntPtr setMkldnn = Export("_ZN2at7Context20setUserEnabledMkldnnEb");
            IntPtr setNnpack = Export("_ZN2at7Context20setUserEnabledNNPACKEb");
            if (globalContext == IntPtr.Zero || getMkldnn == IntPtr.Zero || setMkldnn == IntPtr.Zero || setNnpack == IntPtr.Zero)
            {
                return null;
            }
            IntPtr context = Marshal.GetDelegateForFunctionPointer<ContextFunction>(globalContext)();
            return new Exports(context, Marshal.GetDelegateForFunctionPointer<GetFlag>(getMkldnn),
                Marshal.GetDelegateForFunctionPointer<SetFlag>(setMkldnn), Marshal.GetDelegateForFunctionPointer<SetFlag>(setNnpack));
        }
#pragma warning disable CA1031 // optional switches: a libtorch that does not load is reported by the first real tensor operation
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ContextFunction();

    // C++ bool is one byte in the Itanium ABI; member functions take `this` first.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte GetFlag(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlag(IntPtr context, byte value);

    private sealed record Exports(IntPtr Context, GetFlag GetMkldnn, SetFlag SetMkldnn, SetFlag SetNnpack);
}

using TorchSharp;

namespace FimBounds.Torch;

/// <summary>
/// Scalars that live as long as the process. TorchSharp's implicit number → Scalar conversions make a
/// native scalar owned by a managed object that nothing keeps alive once its handle has been read: the
/// finalizer thread may delete it while libtorch still reads it (a use-after-free that crashed training
/// under garbage-collection pressure). Constants used on every step are made once here; any other value
/// is made by the caller with <c>using var s = value.ToScalar();</c> and outlives the call that reads it.
/// </summary>
public static class Scalars
{
    /// <summary>The integer 1: the <c>alpha</c> of a plain sum or difference (an integer, so it suits every dtype).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using FimBounds.Data;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Picks, per model and input shape, the faster kernels for the exact method's K − 1 backward passes:
/// oneDNN's or libtorch's own (im2col + BLAS) convolution backward. Capped at AVX (see
/// Data.NativeBackend), oneDNN's backward-data kernels cost 2–2.5× its forward on small feature maps,
/// where libtorch's cost about 1×; which wins depends on the layer shapes, so the first measurement
/// of a model times one pass with each (the way cuDNN's benchmark mode picks algorithms) and
/// remembers the choice. Both give the same gradients to float32 round-off (tested against float64).
/// The switch is libtorch-global and held only for the backward loop of one measurement, which runs on
/// the calling thread; the forward pass always uses the default kernels.
/// </summary>
internal static class BackwardKernelChoice
{
    /// <summary>Libtorch's kernels are taken only when clearly faster: timings on a shared machine jitter.</summary>
    private const double RequiredGain = 0.9;

    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, bool>> Choices = new();

    /// <summary>
    /// Whether the backward passes of <paramref name="model"/> at <paramref name="x"/>'s shape should run
    /// without oneDNN; <paramref name="onePass"/> runs one backward pass through the retained graph.
    /// </summary>
    public static bool PreferLibTorchKernels(object model, Tensor x, Action onePass)
    {
        if (!LibTorchContext.IsAvailable || !LibTorchContext.OneDnnEnabled)
        {
            return false;
        }
        string key = $"{x.dtype}:{string.Join('x', x.shape)}";
        ConcurrentDictionary<string, bool> choices = Choices.GetOrCreateValue(model);
        if (choices.TryGetValue(key, out bool choice))
        {
            return choice;
        }
        double withOneDnn = double.MaxValue;
        double withLibTorch = double.MaxValue;
        for (int trial = 0; trial < 2; trial++)
        {
            withOneDnn = Math.Min(withOneDnn, Time(onePass));
            using (Without())
            {
                withLibTorch = Math.Min(withLibTorch, Time(onePass));
            }
        }
        choice = withLibTorch < RequiredGain * withOneDnn;
        choices[key] = choice;
        return choice;
    }

    /// <summary>Turns oneDNN off until disposed (then restores the previous setting).</summary>
    public static IDisposable Without() => new OneDnnOff();

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private sealed class OneDnnOff : IDisposable
    {
        private readonly bool _previous = LibTorchContext.OneDnnEnabled;

        public OneDnnOff() => LibTorchContext.OneDnnEnabled = false;

        public void Dispose() => LibTorchContext.OneDnnEnabled = _previous;
    }
}

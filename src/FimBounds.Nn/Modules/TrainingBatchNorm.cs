using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Nn.Modules;

/// <summary>
/// A BatchNorm's training-mode forward, as TorchSharp's <c>BatchNorm.forward</c> computes it, but counting the batch
/// with an owned Scalar: TorchSharp's counts with <c>num_batches_tracked.add_(1)</c>, whose implicit Scalars the
/// finalizer may free mid-call (under the gc-stress hook, training resnet-mini stopped with libtorch's "For integral
/// input tensors, argument alpha must not be a floating point number"; two models training side by side hit it too).
/// </summary>
internal static class TrainingBatchNorm
{
    public static Tensor Forward(TorchSharp.Modules.BatchNorm norm, Tensor input)
    {
        double? factor = norm.momentum;
        if (norm.track_running_stats && norm.num_batches_tracked is { } count)
        {
            using var one = 1L.ToScalar();
            count.add_(one, one);
            if (norm.momentum is null or 0)
            {
                factor = 1.0 / count.item<long>();
            }
        }
        return nn.functional.batch_norm(input, norm.running_mean, norm.running_var, norm.weight, norm.bias, true, factor ?? 0.0, norm.eps);
    }
}

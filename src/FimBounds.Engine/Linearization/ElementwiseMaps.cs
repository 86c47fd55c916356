using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// Multiplication by a fixed tensor that broadcasts over the batch: a BatchNorm in eval mode or an
/// input normalisation (one factor per channel, shape [1, C, 1, 1]), or an activation's derivative at
/// the recorded input (ReLU's 0/1 mask, tanh's 1 − tanh², …, shape [B, …]). Self-adjoint.
/// </summary>
internal sealed class DiagonalMap(Tensor factor) : LinearMap
{
    public Tensor Factor { get; } = factor;

    /// <summary>One factor per channel ([1, C, 1, 1]), the same for every input and position.</summary>
    public bool IsPerChannel => Factor.dim() == 4 && Factor.shape[0] == 1 && Factor.shape[2] == 1 && Factor.shape[3] == 1;

    public override Tensor Apply(Tensor v) => v * Factor;

    public override Tensor Transpose(Tensor u) => u * Factor;
}

/// <summary>A reshape (Flatten) between two fixed shapes, batch included.</summary>
internal sealed class ReshapeMap(long[] inputShape, long[] outputShape) : LinearMap
{
    public override Tensor Apply(Tensor v) => v.reshape(outputShape);

    public override Tensor Transpose(Tensor u) => u.reshape(inputShape);
}

/// <summary>
/// Max-pooling at the recorded input: each output copies the input element its window chose (the
/// indices libtorch's own backward uses, so ties break the same way); Jᵀ adds each cotangent back onto
/// its chosen element (overlapping windows may choose one element twice).
/// </summary>
internal sealed class MaxPoolMap(Tensor indices, long[] inputShape) : LinearMap
{
    private readonly Tensor _flatIndices = indices.flatten(2);

    public override Tensor Apply(Tensor v) => v.flatten(2).gather(2, _flatIndices).view(indices.shape);

    public override Tensor Transpose(Tensor u) =>
        zeros(inputShape[0], inputShape[1], inputShape[2] * inputShape[3], dtype: u.dtype, device: u.device)
            .scatter_add_(2, _flatIndices, u.flatten(2))
            .view(inputShape);
}

/// <summary>
/// Global average pooling [B, C, H, W] → [B, C, 1, 1] (AdaptiveAvgPool2d(1)): Jᵀ spreads each cotangent
/// evenly over its channel's H·W positions — an expand, where libtorch's generic backward kernel costs
/// as much as a convolution layer of DenseNet-mini.
/// </summary>
internal sealed class GlobalAveragePoolMap(long[] inputShape) : LinearMap
{
    public override Tensor Apply(Tensor v) => v.mean(new long[] { 2, 3 }, keepdim: true);

    public override Tensor Transpose(Tensor u) => u.DividedBy(inputShape[2] * inputShape[3]).expand(inputShape);
}

using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// One piece of a network's Jacobian at a recorded input, as a linear map on batches: <see cref="Apply"/>
/// takes a tangent of the piece's input to one of its output (J v), <see cref="Transpose"/> takes a
/// cotangent of its output back to its input (Jᵀ u). Nonlinear layers become the linear map of their
/// derivative at the recorded activations (ReLU → a 0/1 mask, max-pooling → the chosen indices), linear
/// layers stay themselves, so a whole network's J and Jᵀ run as plain tensor programs on any number of
/// directions without autograd re-walking its graph. Tensors the maps hold belong to the dispose scope
/// of the <see cref="LinearizedNetwork"/> that recorded them.
/// </summary>
internal abstract class LinearMap
{
    /// <summary>J v: [B, input…] → [B, output…].</summary>
    public abstract Tensor Apply(Tensor v);

    /// <summary>Jᵀ u: [B, output…] → [B, input…].</summary>
    public abstract Tensor Transpose(Tensor u);
}

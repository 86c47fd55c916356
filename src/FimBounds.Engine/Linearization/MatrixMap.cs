using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>A Linear layer's weight W [out, in] (its bias drops out of the Jacobian): v ↦ vWᵀ, u ↦ uW.</summary>
internal sealed class MatrixMap(Tensor weight) : LinearMap
{
    public override Tensor Apply(Tensor v) => v.matmul(weight.t());

    public override Tensor Transpose(Tensor u) => u.matmul(weight);
}

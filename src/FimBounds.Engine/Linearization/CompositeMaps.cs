using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>Pieces applied one after another; Jᵀ runs them backwards (chain rule).</summary>
internal sealed class SequenceMap(IReadOnlyList<LinearMap> pieces) : LinearMap
{
    public override Tensor Apply(Tensor v)
    {
        foreach (LinearMap piece in pieces)
        {
            v = piece.Apply(v);
        }
        return v;
    }

    public override Tensor Transpose(Tensor u)
    {
        for (int i = pieces.Count - 1; i >= 0; i--)
        {
            u = pieces[i].Transpose(u);
        }
        return u;
    }
}

/// <summary>A residual block x ↦ after(body(x) + shortcut(x)); a null shortcut is the identity, a null after is none.</summary>
internal sealed class ResidualMap(LinearMap body, LinearMap? shortcut, LinearMap? after) : LinearMap
{
    public override Tensor Apply(Tensor v)
    {
        Tensor sum = body.Apply(v).Plus(shortcut?.Apply(v) ?? v);
        return after?.Apply(sum) ?? sum;
    }

    public override Tensor Transpose(Tensor u)
    {
        Tensor w = after?.Transpose(u) ?? u;
        return body.Transpose(w).Plus(shortcut?.Transpose(w) ?? w);
    }
}

/// <summary>One DenseNet layer x ↦ [x, inner(x)] along channels; the cotangent splits and the x part adds up.</summary>
internal sealed class DenseConcatMap(LinearMap inner, long inputChannels) : LinearMap
{
    public override Tensor Apply(Tensor v) => cat(new[] { v, inner.Apply(v) }, 1);

    public override Tensor Transpose(Tensor u)
    {
        long appended = u.shape[1] - inputChannels;
        return u.narrow(1, 0, inputChannels).Plus(inner.Transpose(u.narrow(1, inputChannels, appended)));
    }
}

using static TorchSharp.torch;

namespace FimBounds.Nn.Modules;

/// <summary>(batch, tokens, dim) ↦ (batch, dim): keeps one token (the class token, index 0, before a ViT head).</summary>
public sealed class SelectToken : nn.Module<Tensor, Tensor>
{
    private readonly long _index;

    public SelectToken(long index) : base(nameof(SelectToken)) => _index = index;

    public override Tensor forward(Tensor input) => input.select(1, _index);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using FimBounds.Torch;

namespace FimBounds.Nn.Modules;

/// <summary>
/// Multi-head self-attention on (batch, tokens, dim) with PyTorch's nn.MultiheadAttention parameter names
/// (in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias) and initialisation, so torchvision ViT
/// weights load unchanged. Written out rather than wrapping nn.MultiheadAttention, whose TorchSharp
/// binding is sequence-first.
/// </summary>
public sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly Linear out_proj;
    private readonly int _heads;

    public SelfAttention(int dim, int heads) : base(nameof(SelfAttention))
    {
        if (heads <= 0 || dim % heads != 0)
        {
            throw new ArgumentException($"{heads} heads do not divide the model dimension {dim}; choose a divisor of {dim}.");
        }
        _heads = heads;
        in_proj_weight = new Parameter(empty(3L * dim, dim));
        in_proj_bias = new Parameter(zeros(3L * dim));
        out_proj = nn.Linear(dim, dim);
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight);
            nn.init.zeros_(out_proj.bias!);
        }
        RegisterComponents();
    }

    public int Heads => _heads;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], tokens = x.shape[1], dim = x.shape[2], headDim = dim / _heads;
        Tensor qkv = nn.functional.linear(x, Registered("in_proj_weight"), Registered("in_proj_bias"));
        Tensor[] parts = qkv.chunk(3, -1);
        Tensor q = SplitHeads(parts[0], batch, tokens, headDim);
        Tensor k = SplitHeads(parts[1], batch, tokens, headDim);
        Tensor v = SplitHeads(parts[2], batch, tokens, headDim);
        Tensor weights = q.matmul(k.transpose(-2, -1)).DividedBy(Math.Sqrt(headDim)).softmax(-1);
        Tensor merged = weights.matmul(v).transpose(1, 2).reshape(batch, tokens, dim);
        return out_proj.call(merged).MoveToOuterDisposeScope();
    }

    // Looked up on every call rather than read from the fields: module.to(dtype/device) replaces parameters.
    private Tensor Registered(string name) =>
        get_parameter(name) ?? throw new InvalidOperationException($"parameter '{name}' is not registered");

    private Tensor SplitHeads(Tensor t, long batch, long tokens, long headDim) =>
        t.reshape(batch, tokens, _heads, headDim).transpose(1, 2);
}

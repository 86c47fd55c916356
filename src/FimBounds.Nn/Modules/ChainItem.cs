using static TorchSharp.torch;

namespace FimBounds.Nn.Modules;

/// <summary>
/// One step of a <see cref="Chain"/>. Every named module or parameter of a step is registered directly on
/// the chain, so the chain's state_dict keys are exactly the names given here: a residual body "conv1",
/// its shortcut "downsample.0", a class token "class_token", as in torchvision.
/// </summary>
public abstract record ChainItem
{
    /// <summary>x ↦ module(x).</summary>
    public static ChainItem Layer(string name, nn.Module<Tensor, Tensor> module) => new LayerStep(name, module);

    /// <summary>
    /// x ↦ after(body(x) + shortcut(x)); shortcut = identity when null. <paramref name="after"/> may name a
    /// module already registered by the body (torchvision's BasicBlock applies its one "relu" twice).
    /// </summary>
    public static ChainItem Residual(
        ChainItem[] body,
        (string Name, nn.Module<Tensor, Tensor> Module)? shortcut = null,
        (string Name, nn.Module<Tensor, Tensor> Module)? after = null) =>
        new ResidualStep(body, shortcut, after);

    /// <summary>
    /// ViT patch embedding: x ↦ conv(x) reshaped from (B, D, h, w) to h·w tokens (B, h·w, D). The convolution
    /// is registered under <paramref name="name"/> itself ("conv_proj.weight").
    /// </summary>
    public static ChainItem Patchify(string name, nn.Module<Tensor, Tensor> convolution) => new PatchifyStep(name, convolution);

    /// <summary>x ↦ [x, module(x)] along the channel axis (one DenseNet layer).</summary>
    public static ChainItem Dense(string name, nn.Module<Tensor, Tensor> module) => new DenseStep(name, module);

    /// <summary>Prepends a learned token (parameter 1×1×dim, initialised to zero as torchvision does).</summary>
    public static ChainItem ClassToken(string name, int dim) => new ClassTokenStep(name, dim);

    /// <summary>Adds a learned position embedding (parameter 1×tokens×dim, N(0, 0.02²) as torchvision does).</summary>
    public static ChainItem PositionEmbedding(string name, int tokens, int dim) => new PositionEmbeddingStep(name, tokens, dim);
}

public sealed record LayerStep(string Name, nn.Module<Tensor, Tensor> Module) : ChainItem;

public sealed record ResidualStep(
    ChainItem[] Body,
    (string Name, nn.Module<Tensor, Tensor> Module)? Shortcut,
    (string Name, nn.Module<Tensor, Tensor> Module)? After) : ChainItem;

public sealed record PatchifyStep(string Name, nn.Module<Tensor, Tensor> Module) : ChainItem;

public sealed record DenseStep(string Name, nn.Module<Tensor, Tensor> Module) : ChainItem;

public sealed record ClassTokenStep(string Name, int Dim) : ChainItem;

public sealed record PositionEmbeddingStep(string Name, int Tokens, int Dim) : ChainItem;

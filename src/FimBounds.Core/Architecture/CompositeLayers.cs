using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Architecture;

// Compositions. Each one is a place where the Lipschitz constant composes differently, which is what
// gives every family its closed form (DESIGN.md §7).

/// <summary>Layers applied one after another: L = ∏ Lᵢ.</summary>
public sealed record Sequence(string Path, Shape Input, Shape Output, EquatableList<Layer> Layers)
    : Layer(Path, Input, Output)
{
    public override string Kind => "sequence";

    public override IEnumerable<Layer> Children => Layers;
}

/// <summary>
/// A residual block y = After(Body(x) + Shortcut(x)); the shortcut is the identity when
/// <see cref="Projection"/> is null (ResNet basic block, pre-LN Transformer sub-block).
/// </summary>
public sealed record Residual(string Path, Shape Input, Shape Output, Sequence Body, Sequence? Projection, Activation? After)
    : Layer(Path, Input, Output)
{
    public override string Kind => "residual";

    public override IEnumerable<Layer> Children
    {
        get
        {
            yield return Body;
            if (Projection is not null)
            {
                yield return Projection;
            }
            if (After is not null)
            {
                yield return After;
            }
        }
    }
}

/// <summary>A DenseNet block: every step maps x ↦ [x, h(x)] along the channel axis.</summary>
public sealed record DenseBlock(string Path, Shape Input, Shape Output, EquatableList<Sequence> Steps)
    : Layer(Path, Input, Output)
{
    public override string Kind => "denseblock";

    public override IEnumerable<Layer> Children => Steps;
}

/// <summary>
/// ViT patch embedding: a non-overlapping convolution (kernel = stride = patch) whose output grid is
/// flattened into tokens. Input (C, H, W) → output (H·W/patch², Dim). Parameters live at Path ("conv_proj").
/// </summary>
public sealed record PatchEmbedding(string Path, Shape Input, Shape Output, int InChannels, int Dim, int PatchSize)
    : Layer(Path, Input, Output)
{
    public override string Kind => "patchembedding";

    public override long Parameters => (long)Dim * InChannels * PatchSize * PatchSize + Dim;
}

/// <summary>A learned class token prepended to the sequence (parameter "class_token", shape 1×1×Dim).</summary>
public sealed record ClassToken(string Path, Shape Input, Shape Output, int Dim) : Layer(Path, Input, Output)
{
    public override string Kind => "classtoken";

    public override long Parameters => Dim;
}

/// <summary>A learned position embedding added to every token (parameter shape 1×Tokens×Dim).</summary>
public sealed record PositionEmbedding(string Path, Shape Input, Shape Output, int Tokens, int Dim)
    : Layer(Path, Input, Output)
{
    public override string Kind => "positionembedding";

    public override long Parameters => (long)Tokens * Dim;
}

/// <summary>
/// Multi-head self-attention with PyTorch's nn.MultiheadAttention parameterisation (packed in_proj
/// weight 3D×D and bias, out_proj D×D and bias).
/// </summary>
public sealed record MultiHeadSelfAttention(string Path, Shape Input, Shape Output, int Dim, int Heads)
    : Layer(Path, Input, Output)
{
    public override string Kind => "multiheadattention";

    public override long Parameters => 3L * Dim * Dim + 3L * Dim + (long)Dim * Dim + Dim;
}

/// <summary>Selects one token of a sequence (the class token, index 0, before the ViT head).</summary>
public sealed record TokenSelect(string Path, Shape Input, Shape Output, int Index) : Layer(Path, Input, Output)
{
    public override string Kind => "tokenselect";

    public override long Parameters => 0;
}

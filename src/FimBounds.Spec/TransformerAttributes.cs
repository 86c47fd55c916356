namespace FimBounds.Spec;

/// <summary>
/// ViT patch embedding: a non-overlapping <paramref name="patch"/>×<paramref name="patch"/> convolution to
/// <paramref name="dim"/> channels whose output grid becomes a sequence of tokens. Default name "conv_proj".
/// </summary>
public sealed class PatchEmbeddingAttribute : LayerAttribute
{
    public PatchEmbeddingAttribute(int dim, int patch)
    {
        Dim = dim;
        Patch = patch;
    }

    public int Dim { get; }

    public int Patch { get; }
}

/// <summary>A learned class token prepended to the token sequence. Default name "class_token".</summary>
public sealed class ClassTokenAttribute : LayerAttribute
{
}

/// <summary>A learned position embedding added to every token. Default name "pos_embedding".</summary>
public sealed class PositionEmbeddingAttribute : LayerAttribute
{
}

/// <summary>Multi-head self-attention over the tokens (PyTorch's packed in_proj / out_proj parameters).</summary>
public sealed class SelfAttentionAttribute : LayerAttribute
{
    public SelfAttentionAttribute(int heads) => Heads = heads;

    public int Heads { get; }
}

/// <summary>
/// The Transformer MLP: Linear(D → hidden), GELU, Dropout, Linear(hidden → D), Dropout, numbered 0…4 as
/// in torchvision's MLPBlock.
/// </summary>
public sealed class MlpAttribute : LayerAttribute
{
    public MlpAttribute(int hidden) => Hidden = hidden;

    public int Hidden { get; }

    public double Dropout { get; set; }
}

/// <summary>Keeps one token of the sequence (index 0 = the class token) as the feature vector.</summary>
public sealed class SelectTokenAttribute : LayerAttribute
{
    public SelectTokenAttribute(int index = 0) => Index = index;

    public int Index { get; }
}

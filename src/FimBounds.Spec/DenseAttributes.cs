namespace FimBounds.Spec;

/// <summary>A fully connected layer; input features are inferred (the last dimension of the previous output).</summary>
public sealed class LinearAttribute : LayerAttribute
{
    public LinearAttribute(int outFeatures) => OutFeatures = outFeatures;

    public int OutFeatures { get; }

    public bool Bias { get; set; } = true;
}

/// <summary>
/// The classifier head: a linear layer onto the architecture's <c>Classes</c> logits. It must be the last
/// layer of the spec.
/// </summary>
public sealed class ClassifierAttribute : LayerAttribute
{
    public bool Bias { get; set; } = true;
}

/// <summary>Flattens (C, H, W) into one feature vector.</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>Dropout with drop probability <see cref="Probability"/> during training; identity in eval mode.</summary>
public sealed class DropoutAttribute : LayerAttribute
{
    public DropoutAttribute(double probability) => Probability = probability;

    public double Probability { get; }
}

/// <summary>LayerNorm over the last dimension (the features of every token).</summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    public double Eps { get; set; } = 1e-5;
}

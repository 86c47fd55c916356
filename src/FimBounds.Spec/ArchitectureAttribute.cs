using System;

namespace FimBounds.Spec;

/// <summary>
/// Marks a <c>partial class</c> as an architecture spec. The layer attributes stacked on the same class,
/// read top to bottom, are the network in execution order; the source generator completes the class
/// with a TorchSharp model factory, the architecture description and the symbolic FIM bound.
/// </summary>
/// <example>
/// <code>
/// [Architecture("vgg-mini", Family = Family.Vgg, Input = new[] { 1, 28, 28 }, Classes = 10)]
/// [Normalize(new[] { 0.2860 }, new[] { 0.3530 })]
/// [Stage("features")]
/// [Conv2d(16, 3, Padding = 1)] [ReLU] [MaxPool2d(2)]
/// …
/// public partial class VggMini;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ArchitectureAttribute : Attribute
{
    public ArchitectureAttribute(string name) => Name = name;

    /// <summary>The command-line name: lower-case letters, digits and dashes ("resnet18", "vit-mini").</summary>
    public string Name { get; }

    public Family Family { get; set; } = Family.Other;

    /// <summary>The input shape without the batch dimension: channels, height, width.</summary>
    public int[] Input { get; set; } = Array.Empty<int>();

    /// <summary>The number of classes (the length of the logit vector).</summary>
    public int Classes { get; set; }
}

/// <summary>The architecture family; it decides which closed form the bound takes and how weights are initialised.</summary>
public enum Family
{
    Vgg,
    ResNet,
    DenseNet,
    Transformer,
    Other,
}

using System.Collections.Generic;
using System.Linq;

namespace FimBounds.Core.Architecture;

public enum ArchitectureFamily
{
    Vgg,
    ResNet,
    DenseNet,
    Transformer,
    Other,
}

/// <summary>
/// Everything known about an architecture without its weights: the data the generator produces from a
/// spec, the input of the bound rules, and the map the numeric engine uses to find weights by path.
/// </summary>
public sealed record ArchitectureDescription(
    string Name,
    ArchitectureFamily Family,
    Shape Input,
    int Classes,
    Sequence Network)
{
    public long Parameters => Network.Parameters;

    /// <summary>Every node, depth-first in execution order.</summary>
    public IEnumerable<Layer> AllLayers() => Network.DescendantsAndSelf();

    /// <summary>Primitive (leaf) layers in execution order.</summary>
    public IEnumerable<Layer> PrimitiveLayers() => AllLayers().Where(l => !l.Children.Any());
}

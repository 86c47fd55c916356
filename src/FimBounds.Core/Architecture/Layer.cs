using System.Collections.Generic;
using System.Linq;

namespace FimBounds.Core.Architecture;

/// <summary>
/// One node of an architecture description: a primitive layer or a composition of layers.
/// <see cref="Path"/> is the PyTorch state_dict prefix of the node's parameters ("features.0",
/// "layer1.0.conv1"), the same name the generated TorchSharp module registers, so the numeric engine
/// finds a layer's weights by its path. Shapes exclude the batch dimension.
/// </summary>
public abstract record Layer(string Path, Shape Input, Shape Output)
{
    /// <summary>A short, stable name of the layer kind ("conv2d", "residual" …) used in reports and JSON.</summary>
    public abstract string Kind { get; }

    /// <summary>Trainable parameters of this node, children included.</summary>
    public virtual long Parameters => Children.Sum(c => c.Parameters);

    /// <summary>Direct sub-nodes in execution order (empty for primitive layers).</summary>
    public virtual IEnumerable<Layer> Children => Enumerable.Empty<Layer>();

    /// <summary>This node and every node below it, depth-first in execution order.</summary>
    public IEnumerable<Layer> DescendantsAndSelf()
    {
        yield return this;
        foreach (Layer child in Children)
        {
            foreach (Layer node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }
}

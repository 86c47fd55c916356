using System;

namespace FimBounds.Spec;

/// <summary>
/// Base of every attribute that adds a layer (or a block of layers) to a spec or to a block. The order
/// of the attributes on the class is the order of execution.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The submodule name, i.e. the last segment of the PyTorch state_dict prefix ("conv1", "fc").
    /// Unnamed layers inside a stage or block are numbered by position ("features.0"), like
    /// <c>nn.Sequential</c>; unnamed layers at the top level are named after their kind ("flatten").
    /// </summary>
    public string? Name { get; set; }
}

using FimBounds.Core.Architecture;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Nn.Specs;

/// <summary>
/// What the source generator emits for every attributed architecture spec: its description (layers,
/// shapes, parameter counts), a factory for the TorchSharp model, and the compile-time symbolic bound.
/// </summary>
public interface IModelSpec
{
    /// <summary>The command-line name, lower-case with dashes ("vgg16", "resnet-mini").</summary>
    string Name { get; }

    ArchitectureDescription Description { get; }

    /// <summary>The bound λ_max(F(x)) ≤ … in the algebra's text form (parseable back into an expression).</summary>
    string BoundText { get; }

    /// <summary>The same bound in LaTeX.</summary>
    string BoundLatex { get; }

    /// <summary>A freshly initialised model (seed it with torch.manual_seed first for reproducibility).</summary>
    nn.Module<Tensor, Tensor> CreateModel();
}

using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// What a node's factor must bound. A folded BatchNorm or LayerNorm has no bound of its own (its scale
/// lives in the map's σ), so it is checked with its map: the map's check runs the fold's whole segment,
/// from the first folded scale through the layers between to the map (and a BatchNorm after it), against
/// the product of the segment's factors.
/// </summary>
public static class FoldedFactors
{
    /// <summary>Null for a folded scale; else the function, its bound and the path of the layer whose input it takes.</summary>
    public static (Func<Tensor, Tensor> Map, double Bound, string From)? Target(Layer layer, NumericFactor factor,
        Func<string, (Layer Layer, NumericFactor Factor)> byPath, DescribedModel model)
    {
        if (factor.FoldedWith is null)
        {
            return (x => model.Run(layer, x), factor.Value, layer.Path);
        }
        if (factor.FoldSegment is not { } segment)
        {
            return null;
        }
        var members = segment.Select(byPath).ToList();
        return (x => members.Aggregate(x, (h, m) => model.Run(m.Layer, h)), members.Aggregate(1.0, (b, m) => b * m.Factor.Value), segment[0]);
    }

    /// <summary>Primitive layers by path (a module reused under one name, like ResNet's ReLU, appears once: it is the same map).</summary>
    public static Dictionary<string, Layer> ByPath(ArchitectureDescription description) =>
        description.PrimitiveLayers().GroupBy(l => l.Path).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The input each primitive saw in one traced forward pass (the last, for a reused module; folds start at unique layers).</summary>
    public static Dictionary<string, Tensor> InputsByPath(IEnumerable<(Layer Layer, Tensor Input)> trace)
    {
        var inputs = new Dictionary<string, Tensor>();
        foreach ((Layer layer, Tensor input) in trace.Where(t => !t.Layer.Children.Any()))
        {
            inputs[layer.Path] = input;
        }
        return inputs;
    }

    /// <summary>How many factors are folded scales (checked inside their map's segment, not alone).</summary>
    public static int FoldedScales(IEnumerable<NumericFactor> factors) => factors.Count(f => f.FoldedWith is not null && f.FoldSegment is null);
}

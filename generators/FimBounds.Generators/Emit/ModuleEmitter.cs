using System;
using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Architecture;
using static FimBounds.Generators.Emit.Literals;

namespace FimBounds.Generators.Emit;

/// <summary>
/// Writes the TorchSharp module tree of a description. A node whose path extends its container's by one
/// segment becomes a child module of that name; a node with its container's own path (a residual body, a
/// ViT sub-block) is laid out flat inside it. So every parameter's key is the description path of its layer.
/// </summary>
internal static class ModuleEmitter
{
    public static Fragment Model(ArchitectureDescription description) => Chain(description.Network.Path, description.Network);

    private static Fragment Chain(string container, Layer node) =>
        Fragment.Nested("new FimNn.Chain(", Items(container, node).ToList(), ")");

    private static IEnumerable<Fragment> Items(string container, Layer node)
    {
        if (node.Path == container && node is Sequence flat)
        {
            return flat.Layers.SelectMany(child => Items(container, child));
        }
        if (node.Path == container && node is Residual residual)
        {
            return new[] { ResidualItem(container, residual) };
        }
        if (node.Path == container)
        {
            throw new InvalidOperationException($"layer {node.Kind} shares the path '{container}' of its container");
        }

        string name = NameIn(container, node.Path);
        return new[]
        {
            node switch
            {
                Sequence or Residual => Fragment.Nested($"FimNn.ChainItem.Layer({String(name)}, new FimNn.Chain(", Items(node.Path, node).ToList(), "))"),
                DenseBlock dense => Fragment.Nested($"FimNn.ChainItem.Layer({String(name)}, new FimNn.Chain(",
                    dense.Steps.Select(step => Fragment.Nested($"FimNn.ChainItem.Dense({String(NameIn(dense.Path, step.Path))}, new FimNn.Chain(", Items(step.Path, step).ToList(), "))")).ToList(),
                    "))"),
                PatchEmbedding p => Fragment.Line($"FimNn.ChainItem.Patchify({String(name)}, FimTorch.nn.Conv2d({Int(p.InChannels)}, {Int(p.Dim)}, {Int(p.PatchSize)}, stride: {Int(p.PatchSize)}))"),
                ClassToken c => Fragment.Line($"FimNn.ChainItem.ClassToken({String(name)}, {Int(c.Dim)})"),
                PositionEmbedding p => Fragment.Line($"FimNn.ChainItem.PositionEmbedding({String(name)}, {Int(p.Tokens)}, {Int(p.Dim)})"),
                _ => Fragment.Line($"FimNn.ChainItem.Layer({String(name)}, {Primitive(node)})"),
            },
        };
    }

    private static Fragment ResidualItem(string container, Residual residual)
    {
        var arguments = new List<Fragment>
        {
            Fragment.Nested("new FimNn.ChainItem[] {", Items(container, residual.Body).ToList(), "}"),
        };
        if (residual.Projection is { } projection)
        {
            arguments.Add(Fragment.Nested($"shortcut: ({String(NameIn(container, projection.Path))}, new FimNn.Chain(", Items(projection.Path, projection).ToList(), "))"));
        }
        if (residual.After is { } after)
        {
            arguments.Add(Fragment.Line($"after: ({String(NameIn(container, after.Path))}, {Primitive(after)})"));
        }
        return Fragment.Nested("FimNn.ChainItem.Residual(", arguments, ")");
    }

    private static string Primitive(Layer layer) => layer switch
    {
        // in, out, kernel, stride, padding, dilation positionally: a named "padding: 0" would also match the Padding-enum overload.
        Conv2d c => $"FimTorch.nn.Conv2d({Int(c.InChannels)}, {Int(c.OutChannels)}, {Int(c.KernelSize)}, {Int(c.Stride)}, {Int(c.Padding)}, 1, groups: {Int(c.Groups)}, bias: {Bool(c.Bias)})",
        Linear l => $"FimTorch.nn.Linear({Int(l.InFeatures)}, {Int(l.OutFeatures)}, hasBias: {Bool(l.Bias)})",
        Activation { Function: ActivationFunction.ReLU } => "FimTorch.nn.ReLU()",
        Activation { Function: ActivationFunction.LeakyReLU } a => $"FimTorch.nn.LeakyReLU({Double(a.NegativeSlope)})",
        Activation { Function: ActivationFunction.GELU } => "FimTorch.nn.GELU()",
        Activation { Function: ActivationFunction.Tanh } => "FimTorch.nn.Tanh()",
        Activation { Function: ActivationFunction.Sigmoid } => "FimTorch.nn.Sigmoid()",
        MaxPool2d m => $"FimTorch.nn.MaxPool2d({Int(m.KernelSize)}, stride: {Int(m.Stride)}, padding: {Int(m.Padding)})",
        AvgPool2d m => $"FimTorch.nn.AvgPool2d({Int(m.KernelSize)}, stride: {Int(m.Stride)}, padding: {Int(m.Padding)})",
        AdaptiveAvgPool2d m => $"FimTorch.nn.AdaptiveAvgPool2d(new long[] {{ {Int(m.OutputHeight)}, {Int(m.OutputWidth)} }})",
        BatchNorm2d b => $"FimTorch.nn.BatchNorm2d({Int(b.Channels)}, eps: {Double(b.Eps)})",
        LayerNorm n => $"FimTorch.nn.LayerNorm({Int(n.Features)}, eps: {Double(n.Eps)})",
        Dropout d => $"FimTorch.nn.Dropout({Double(d.Probability)})",
        Flatten => "FimTorch.nn.Flatten()",
        Normalize n => $"new FimNn.Normalize({Doubles(n.Mean)}, {Doubles(n.Std)})",
        MultiHeadSelfAttention m => $"new FimNn.SelfAttention({Int(m.Dim)}, {Int(m.Heads)})",
        TokenSelect t => $"new FimNn.SelectToken({Int(t.Index)})",
        _ => throw new InvalidOperationException($"no TorchSharp module for layer kind {layer.Kind}"),
    };

    private static string NameIn(string container, string path)
    {
        if (container.Length == 0)
        {
            return path;
        }
        if (!path.StartsWith(container + ".", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"path '{path}' is not inside container '{container}'");
        }
        return path.Substring(container.Length + 1);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Architecture;
using static FimBounds.Generators.Emit.Literals;

namespace FimBounds.Generators.Emit;

/// <summary>Writes an <see cref="ArchitectureDescription"/> back as the C# expression that constructs it.</summary>
internal static class DescriptionEmitter
{
    public static Fragment Description(ArchitectureDescription description) => Fragment.Nested(
        $"new FimArch.ArchitectureDescription({String(description.Name)}, FimArch.ArchitectureFamily.{description.Family}, {Shape(description.Input)}, {Int(description.Classes)},",
        new[] { Node(description.Network) },
        ")");

    private static Fragment Node(Layer layer)
    {
        string head = $"{String(layer.Path)}, {Shape(layer.Input)}, {Shape(layer.Output)}";
        return layer switch
        {
            Sequence s => Fragment.Nested($"new FimArch.Sequence({head}, FimColl.EquatableList.Of<FimArch.Layer>(", s.Layers.Select(Node).ToList(), "))"),
            DenseBlock d => Fragment.Nested($"new FimArch.DenseBlock({head}, FimColl.EquatableList.Of<FimArch.Sequence>(", d.Steps.Select(Node).ToList(), "))"),
            Residual r => Fragment.Nested($"new FimArch.Residual({head},", new[]
            {
                Node(r.Body),
                r.Projection is null ? Fragment.Line("null") : Node(r.Projection),
                r.After is null ? Fragment.Line("null") : Node(r.After),
            }, ")"),
            Conv2d c => Fragment.Line($"new FimArch.Conv2d({head}, {Int(c.InChannels)}, {Int(c.OutChannels)}, {Int(c.KernelSize)}, {Int(c.Stride)}, {Int(c.Padding)}, {Int(c.Groups)}, {Bool(c.Bias)})"),
            Linear l => Fragment.Line($"new FimArch.Linear({head}, {Int(l.InFeatures)}, {Int(l.OutFeatures)}, {Bool(l.Bias)})"),
            Activation a => Fragment.Line($"new FimArch.Activation({head}, FimArch.ActivationFunction.{a.Function}, {Double(a.NegativeSlope)})"),
            MaxPool2d m => Fragment.Line($"new FimArch.MaxPool2d({head}, {Int(m.KernelSize)}, {Int(m.Stride)}, {Int(m.Padding)})"),
            AvgPool2d m => Fragment.Line($"new FimArch.AvgPool2d({head}, {Int(m.KernelSize)}, {Int(m.Stride)}, {Int(m.Padding)})"),
            AdaptiveAvgPool2d m => Fragment.Line($"new FimArch.AdaptiveAvgPool2d({head}, {Int(m.OutputHeight)}, {Int(m.OutputWidth)})"),
            BatchNorm2d b => Fragment.Line($"new FimArch.BatchNorm2d({head}, {Int(b.Channels)}, {Double(b.Eps)})"),
            LayerNorm n => Fragment.Line($"new FimArch.LayerNorm({head}, {Int(n.Features)}, {Double(n.Eps)})"),
            Dropout d => Fragment.Line($"new FimArch.Dropout({head}, {Double(d.Probability)})"),
            Flatten => Fragment.Line($"new FimArch.Flatten({head})"),
            Normalize n => Fragment.Line($"new FimArch.Normalize({head}, FimColl.EquatableList.Of({string.Join(", ", n.Mean.Select(Double))}), FimColl.EquatableList.Of({string.Join(", ", n.Std.Select(Double))}))"),
            PatchEmbedding p => Fragment.Line($"new FimArch.PatchEmbedding({head}, {Int(p.InChannels)}, {Int(p.Dim)}, {Int(p.PatchSize)})"),
            ClassToken c => Fragment.Line($"new FimArch.ClassToken({head}, {Int(c.Dim)})"),
            PositionEmbedding p => Fragment.Line($"new FimArch.PositionEmbedding({head}, {Int(p.Tokens)}, {Int(p.Dim)})"),
            MultiHeadSelfAttention m => Fragment.Line($"new FimArch.MultiHeadSelfAttention({head}, {Int(m.Dim)}, {Int(m.Heads)})"),
            TokenSelect t => Fragment.Line($"new FimArch.TokenSelect({head}, {Int(t.Index)})"),
            _ => throw new InvalidOperationException($"no emitter for layer kind {layer.Kind}"),
        };
    }

    private static string Shape(Shape shape) => shape.Rank switch
    {
        3 => $"FimArch.Shape.Image({Int(shape[0])}, {Int(shape[1])}, {Int(shape[2])})",
        2 => $"FimArch.Shape.Tokens({Int(shape[0])}, {Int(shape[1])})",
        1 => $"FimArch.Shape.Vector({Int(shape[0])})",
        _ => $"new FimArch.Shape(FimColl.EquatableList.Of({string.Join(", ", shape.Dims.Select(d => Int(d)))}))",
    };
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;
using FimBounds.Generators.Diagnostics;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Building;

/// <summary>
/// Turns a <see cref="SpecDeclaration"/> into an <see cref="ArchitectureDescription"/>: expands stages and
/// blocks, names every layer with its PyTorch state_dict path, infers every shape, and stops at the first
/// mistake with a diagnostic at the offending attribute. Pure: no symbols, no I/O.
/// </summary>
internal sealed class ArchitectureBuilder
{
    private readonly SpecDeclaration _spec;
    private readonly Dictionary<string, BlockDeclaration> _blocks;
    private int _classes;
    private string? _classifierPath;

    private ArchitectureBuilder(SpecDeclaration spec)
    {
        _spec = spec;
        _blocks = spec.Blocks.ToDictionary(b => b.FullName, StringComparer.Ordinal);
    }

    public static BuildResult Build(SpecDeclaration spec)
    {
        var diagnostics = new List<DiagnosticInfo>();
        SpecTarget target = spec.Target;
        if (!target.IsPartial)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, target.Location, target.ClassName));
        }
        if (target.IsNested || target.IsGeneric || target.IsStatic || target.IsAbstract)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Unsupported, target.Location, target.ClassName,
                "an architecture spec must be a non-generic, non-static, non-abstract class declared directly in a namespace"));
        }

        ArchitectureDescription? description = null;
        try
        {
            description = new ArchitectureBuilder(spec).Build();
        }
        catch (SpecError error)
        {
            diagnostics.Add(error.Diagnostic);
        }

        SpecModel? model = diagnostics.Count == 0 && description is not null
            ? new SpecModel(target, description, spec.Architecture.FirstOrDefault(a => a.Name == "name")?.Location ?? spec.ArchitectureLocation)
            : null;
        return new BuildResult(model, diagnostics.ToEquatableList());
    }

    private ArchitectureDescription Build()
    {
        var architecture = new DeclarationArgs(new LayerDeclaration("Architecture", _spec.Architecture, _spec.ArchitectureLocation), BlockContext.TopLevel, $"[Architecture] of {_spec.Target.ClassName}");
        string name = architecture.String("name") ?? "";
        if (!Names.IsSpecName(name))
        {
            throw architecture.Invalid("name", $"spec name '{name}' must be lower-case letters and digits separated by single dashes, like \"resnet-mini\"");
        }
        architecture.Subject = $"spec '{name}'";
        IReadOnlyList<int> dims = architecture.Ints("input");
        if (dims.Count != 3 || dims.Any(d => d < 1))
        {
            throw architecture.Invalid("input", "Input must be three positive sizes: channels, height, width, e.g. Input = new[] { 3, 224, 224 }");
        }
        _classes = architecture.Int("classes", 0);
        if (_classes < 2)
        {
            throw architecture.Invalid("classes", $"Classes is {_classes} but a classifier needs at least 2 classes");
        }
        if (!Enum.TryParse(architecture.Enum("family", "Other"), out ArchitectureFamily family))
        {
            family = ArchitectureFamily.Other;
        }

        Shape input = Shape.Image(dims[0], dims[1], dims[2]);
        var root = new Scope("", numbered: TopLevelNaming.IsNumbered(_spec.Layers));
        var rootItems = new List<Layer>();
        Shape shape = input;

        (Scope Scope, List<Layer> Items, Shape Input, LayerDeclaration Declaration)? stage = null;
        void CloseStage()
        {
            if (stage is { } open)
            {
                if (open.Items.Count == 0)
                {
                    throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyBlock, open.Declaration.Location,
                        $"stage '{open.Scope.Path}'", "add layers after [Stage] or remove it"));
                }
                rootItems.Add(new Sequence(open.Scope.Path, open.Input, shape, open.Items.ToEquatableList()));
                stage = null;
            }
        }

        foreach (LayerDeclaration declaration in _spec.Layers)
        {
            if (declaration.Kind == "Stage")
            {
                CloseStage();
                var args = new DeclarationArgs(declaration, BlockContext.TopLevel, "[Stage]");
                string path = root.Claim(ValidName(args), "", declaration.Location);
                stage = (new Scope(path, numbered: true), new List<Layer>(), shape, declaration);
            }
            else if (declaration.Kind == "EndStage")
            {
                CloseStage();
            }
            else
            {
                shape = stage is { } open
                    ? Add(open.Scope, open.Items, declaration, shape, BlockContext.TopLevel)
                    : Add(root, rootItems, declaration, shape, BlockContext.TopLevel);
            }
        }
        CloseStage();

        if (!shape.Equals(Shape.Vector(_classes)))
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch, _spec.ArchitectureLocation,
                $"the end of spec '{name}'",
                $"the network ends with {Shapes.Describe(shape)} but Classes = {_classes} needs a vector of {_classes} logits; end the spec with [Classifier]"));
        }
        if (rootItems.Count == 0)
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyBlock, _spec.ArchitectureLocation, $"spec '{name}'", "declare its layers as attributes on the class"));
        }
        return new ArchitectureDescription(name, family, input, _classes, new Sequence("", input, shape, rootItems.ToEquatableList()));
    }

    /// <summary>Adds one declaration (a layer or a block usage) to <paramref name="items"/>, named in <paramref name="scope"/>.</summary>
    private Shape Add(Scope scope, List<Layer> items, LayerDeclaration declaration, Shape input, BlockContext context)
    {
        var args = new DeclarationArgs(declaration, context, $"{declaration.Kind} in {scope.Describe}");
        if (_classifierPath is not null)
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.LayerAfterClassifier, declaration.Location, $"[{declaration.Kind}]"));
        }
        switch (declaration.Kind)
        {
            case "Stage" or "EndStage":
                throw args.Unsupported($"[{declaration.Kind}] belongs on the spec class; a block's layers are named within the block already");
            case "Use":
                return Use(scope, items, args, input, context);
            case "Repeat":
                return Repeat(scope, items, args, input, context);
            case "DenseBlock":
                return Dense(scope, items, args, input, context);
            case "Classifier" when context.InBlock:
                throw args.Unsupported("the classifier belongs on the spec class, after every block");
        }

        if (!LayerFactory.DefaultNames.TryGetValue(declaration.Kind, out string? defaultName))
        {
            throw args.Unsupported($"[{declaration.Kind}] is not a layer of the spec language");
        }
        string path = scope.Claim(ValidName(args), defaultName, args.LocationOf("name"));
        args.Subject = $"{declaration.Kind} '{path}'";
        Layer layer = LayerFactory.Create(args, path, input, _classes);
        items.Add(layer);
        if (declaration.Kind == "Classifier")
        {
            _classifierPath = path;
        }
        return layer.Output;
    }

    /// <summary>[Use(typeof(B))]: one instance, in its own container when named, else inline.</summary>
    private Shape Use(Scope scope, List<Layer> items, DeclarationArgs args, Shape input, BlockContext context)
    {
        BlockDeclaration block = ResolveBlock(args, context);
        BlockContext inner = Enter(args, context, block);
        string? name = ValidName(args);
        if (name is null)
        {
            args.Subject = $"block {block.DisplayName} in {scope.Describe}";
            return Instantiate(block, scope, items, args, input, inner);
        }
        string path = scope.Claim(name, "", args.LocationOf("name"));
        args.Subject = $"block {block.DisplayName} '{path}'";
        return InstantiateNamed(block, new Scope(path, numbered: true), items, args, input, inner);
    }

    /// <summary>[Repeat(typeof(B), n)]: n instances; the usage's Stride applies to the first only.</summary>
    private Shape Repeat(Scope scope, List<Layer> items, DeclarationArgs args, Shape input, BlockContext context)
    {
        BlockDeclaration block = ResolveBlock(args, context);
        int count = CountOf(args, block);
        BlockContext first = Enter(args, context, block);
        string? name = ValidName(args);
        Scope container = scope;
        List<Layer> target = items;
        if (name is not null)
        {
            container = new Scope(scope.Claim(name, "", args.LocationOf("name")), numbered: true);
            target = new List<Layer>();
        }

        Shape shape = input;
        for (int i = 0; i < count; i++)
        {
            string path = container.Claim(ItemName(args, i), "", args.LocationOf("itemname"));
            args.Subject = $"block {block.DisplayName} '{path}'";
            BlockContext instance = i == 0 ? first : first with { Stride = 1 };
            shape = InstantiateNamed(block, new Scope(path, numbered: true), target, args, shape, instance);
        }
        if (name is not null)
        {
            items.Add(new Sequence(container.Path, input, shape, target.ToEquatableList()));
        }
        return shape;
    }

    /// <summary>[DenseBlock(typeof(L), n)]: n steps x ↦ [x, L(x)], each growing the channels by L's output channels.</summary>
    private Shape Dense(Scope scope, List<Layer> items, DeclarationArgs args, Shape input, BlockContext context)
    {
        BlockDeclaration block = ResolveBlock(args, context);
        if (block.Header == "ResidualBlock")
        {
            throw args.Unsupported($"dense layer '{block.DisplayName}' is a residual block; a DenseNet step concatenates instead of adding, so mark it [Block]");
        }
        if (!Shapes.IsImage(input))
        {
            throw args.ShapeMismatch($"a dense block concatenates channels of images but receives {Shapes.Describe(input)}");
        }
        int count = CountOf(args, block);
        BlockContext inner = Enter(args, context, block);
        var container = new Scope(scope.Claim(ValidName(args), "denseblock", args.LocationOf("name")), numbered: true);
        var steps = new List<Sequence>();
        Shape shape = input;
        for (int i = 0; i < count; i++)
        {
            string path = container.Claim(ItemName(args, i), "", args.LocationOf("itemname"));
            args.Subject = $"dense layer {block.DisplayName} '{path}'";
            var body = new List<Layer>();
            Shape grown = Instantiate(block, new Scope(path, numbered: true), body, args, shape, inner);
            if (!Shapes.IsImage(grown) || grown[1] != shape[1] || grown[2] != shape[2])
            {
                throw args.ShapeMismatch($"a dense layer must keep the spatial size to be concatenated, but maps {Shapes.Describe(shape)} to {Shapes.Describe(grown)}");
            }
            Shape concatenated = Shape.Image(shape[0] + grown[0], shape[1], shape[2]);
            steps.Add(new Sequence(path, shape, grown, body.ToEquatableList()));
            shape = concatenated;
        }
        items.Add(new DenseBlock(container.Path, input, shape, steps.ToEquatableList()));
        return shape;
    }

    /// <summary>An instance in its own container: a residual node, or a sequence for a plain block.</summary>
    private Shape InstantiateNamed(BlockDeclaration block, Scope scope, List<Layer> items, DeclarationArgs usage, Shape input, BlockContext context)
    {
        var body = new List<Layer>();
        Shape output = Instantiate(block, scope, body, usage, input, context);
        if (block.Header == "ResidualBlock")
        {
            items.AddRange(body); // Instantiate produced the single residual node.
        }
        else
        {
            items.Add(new Sequence(scope.Path, input, output, body.ToEquatableList()));
        }
        return output;
    }

    /// <summary>Builds a block's layers into <paramref name="items"/>, named in <paramref name="scope"/>; a residual block becomes one node.</summary>
    private Shape Instantiate(BlockDeclaration block, Scope scope, List<Layer> items, DeclarationArgs usage, Shape input, BlockContext context)
    {
        if (block.Layers.Count == 0)
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyBlock, usage.Location, $"block '{block.DisplayName}'", "give the block class its layer attributes"));
        }
        var body = new List<Layer>();
        Shape shape = input;
        foreach (LayerDeclaration layer in block.Layers)
        {
            shape = Add(scope, body, layer, shape, context);
        }
        if (block.Header != "ResidualBlock")
        {
            items.AddRange(body);
            return shape;
        }
        items.Add(Residual(block, scope, body, usage, input, shape));
        return shape;
    }

    private Residual Residual(BlockDeclaration block, Scope scope, List<Layer> body, DeclarationArgs usage, Shape input, Shape output)
    {
        var header = new DeclarationArgs(new LayerDeclaration("ResidualBlock", block.HeaderArgs, block.Location), BlockContext.TopLevel, $"[ResidualBlock] {block.DisplayName}");
        string shortcut = header.Enum("shortcut", "Auto");
        bool sameShape = input.Equals(output);
        if (shortcut == "Identity" && !sameShape)
        {
            throw usage.ShapeMismatch($"residual block {block.DisplayName} maps {Shapes.Describe(input)} to {Shapes.Describe(output)}, but its identity shortcut needs equal shapes; use Shortcut = Shortcut.Auto or Shortcut.Projection");
        }

        Sequence? projection = null;
        if (shortcut == "Projection" || (shortcut == "Auto" && !sameShape))
        {
            projection = Projection(block, scope, header, usage, input, output);
        }

        Activation? after = null;
        string function = header.Enum("after", "None");
        if (function != "None")
        {
            if (!Enum.TryParse(function, out ActivationFunction activation))
            {
                throw header.Invalid("after", $"'{function}' is not an activation");
            }
            string afterName = header.String("aftername") ?? "relu";
            string path = scope.PathOf(afterName);
            // torchvision's BasicBlock applies its one "relu" module twice: reuse a body activation of the same name.
            Layer? existing = body.SelectMany(l => l.DescendantsAndSelf()).FirstOrDefault(l => l.Path == path);
            if (existing is not null && !(existing is Activation a && a.Function == activation))
            {
                throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, header.LocationOf("aftername"), afterName, scope.Describe));
            }
            if (existing is null)
            {
                path = scope.Claim(afterName, "", header.LocationOf("aftername"));
            }
            after = new Activation(path, output, output, activation);
        }
        return new Residual(scope.Path, input, output, new Sequence(scope.Path, input, output, body.ToEquatableList()), projection, after);
    }

    /// <summary>The projection shortcut: a bias-free 1×1 convolution with the body's stride, then BatchNorm ("downsample.0/.1").</summary>
    private static Sequence Projection(BlockDeclaration block, Scope scope, DeclarationArgs header, DeclarationArgs usage, Shape input, Shape output)
    {
        if (!Shapes.IsImage(input) || !Shapes.IsImage(output))
        {
            throw usage.Unsupported($"residual block {block.DisplayName} needs a projection shortcut, which is a 1×1 convolution and exists only for images, but maps {Shapes.Describe(input)} to {Shapes.Describe(output)}");
        }
        int stride = (input[1] + output[1] - 1) / output[1];
        if (Shapes.SlidingOutput(input[1], 1, stride, 0) != output[1] || Shapes.SlidingOutput(input[2], 1, stride, 0) != output[2])
        {
            throw usage.ShapeMismatch($"residual block {block.DisplayName} maps {Shapes.Describe(input)} to {Shapes.Describe(output)}, which no strided 1×1 projection reproduces; make the body reduce height and width by the same stride");
        }
        string path = scope.Claim(header.String("shortcutname") ?? "downsample", "", header.LocationOf("shortcutname"));
        var layers = new Layer[]
        {
            new Conv2d(path + ".0", input, output, input[0], output[0], 1, stride, 0, 1, false),
            new BatchNorm2d(path + ".1", output, output, output[0]),
        };
        return new Sequence(path, input, output, layers.ToEquatableList());
    }

    private BlockDeclaration ResolveBlock(DeclarationArgs args, BlockContext context)
    {
        TypeValue? type = args.Type("block") ?? args.Type("layer");
        if (type is null || !_blocks.TryGetValue(type.FullName, out BlockDeclaration? block))
        {
            throw args.Unsupported("the block must be given as typeof(SomeBlockClass)");
        }
        if (block.Header is null)
        {
            throw args.Unsupported($"class {block.DisplayName} is not a block; mark it [Block] or [ResidualBlock]");
        }
        if (context.Blocks.Contains(block.FullName))
        {
            throw args.Unsupported($"block {block.DisplayName} uses itself, which would never end; blocks must not be recursive");
        }
        return block;
    }

    /// <summary>The block parameters for an instance: the usage's values, else the enclosing block's.</summary>
    private static BlockContext Enter(DeclarationArgs args, BlockContext context, BlockDeclaration block)
    {
        int? Param(string name, int? inherited)
        {
            if (!args.Has(name))
            {
                return inherited;
            }
            int value = args.Int(name, 0);
            return value == 0 ? inherited : value > 0 ? value : throw args.Invalid(name, $"'{name}' is {value} but must be positive");
        }
        return new BlockContext(
            Param("channels", context.Channels),
            Param("stride", context.Stride),
            Param("hidden", context.Hidden),
            Param("heads", context.Heads),
            context.Blocks.Push(block.FullName));
    }

    private static int CountOf(DeclarationArgs args, BlockDeclaration block)
    {
        int count = args.Int("count", 0);
        if (count < 1)
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyBlock, args.LocationOf("count"),
                $"{args.Kind} of {block.DisplayName}", $"the count is {count}; repeat a block at least once, or remove the attribute"));
        }
        return count;
    }

    private static string ItemName(DeclarationArgs args, int i)
    {
        string pattern = args.String("itemname") ?? (args.Kind == "DenseBlock" ? "denselayer{0}" : "{0}");
        int first = args.Int("firstindex", args.Kind == "DenseBlock" ? 1 : 0);
        string name;
        try
        {
            name = string.Format(CultureInfo.InvariantCulture, pattern, first + i);
        }
        catch (FormatException)
        {
            throw args.Invalid("itemname", $"ItemName \"{pattern}\" is not a format with one placeholder {{0}}, like \"encoder_layer_{{0}}\"");
        }
        if (!Names.IsLayerName(name))
        {
            throw args.Invalid("itemname", $"ItemName \"{pattern}\" gives \"{name}\"; names may contain only letters, digits and '_'");
        }
        return name;
    }

    private static string? ValidName(DeclarationArgs args)
    {
        string? name = args.String("name");
        if (name is not null && !Names.IsLayerName(name))
        {
            throw args.Invalid("name", $"layer name \"{name}\" may contain only letters, digits and '_' (it becomes one segment of the state_dict key)");
        }
        return name;
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;

namespace FimBounds.Generators.Building;

/// <summary>
/// The primitive layers: validates one declaration against the shape it receives and returns the
/// description node with its inferred output shape. Parameter counts follow from the nodes themselves.
/// </summary>
internal static class LayerFactory
{
    /// <summary>Kinds this factory builds, with the name an unnamed top-level layer gets.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultNames = new Dictionary<string, string>
    {
        ["Conv2d"] = "conv",
        ["Linear"] = "linear",
        ["Classifier"] = "fc",
        ["ReLU"] = "relu",
        ["LeakyReLU"] = "leaky_relu",
        ["GELU"] = "gelu",
        ["Tanh"] = "tanh",
        ["Sigmoid"] = "sigmoid",
        ["MaxPool2d"] = "maxpool",
        ["AvgPool2d"] = "avgpool",
        ["AdaptiveAvgPool2d"] = "avgpool",
        ["BatchNorm2d"] = "bn",
        ["LayerNorm"] = "ln",
        ["Dropout"] = "dropout",
        ["Flatten"] = "flatten",
        ["Normalize"] = "normalize",
        ["PatchEmbedding"] = "conv_proj",
        ["ClassToken"] = "class_token",
        ["PositionEmbedding"] = "pos_embedding",
        ["SelfAttention"] = "self_attention",
        ["Mlp"] = "mlp",
        ["SelectToken"] = "select_token",
    };

    public static Layer Create(DeclarationArgs args, string path, Shape input, int classes) => args.Kind switch
    {
        "Conv2d" => Conv2d(args, path, input),
        "Linear" => Linear(args, path, input, args.Int("outfeatures", 0, minimum: 1)),
        "Classifier" => Classifier(args, path, input, classes),
        "ReLU" => new Activation(path, input, input, ActivationFunction.ReLU),
        "LeakyReLU" => new Activation(path, input, input, ActivationFunction.LeakyReLU, args.Double("negativeslope", 0.01)),
        "GELU" => new Activation(path, input, input, ActivationFunction.GELU),
        "Tanh" => new Activation(path, input, input, ActivationFunction.Tanh),
        "Sigmoid" => new Activation(path, input, input, ActivationFunction.Sigmoid),
        "MaxPool2d" or "AvgPool2d" => Pool(args, path, input),
        "AdaptiveAvgPool2d" => AdaptiveAvgPool(args, path, input),
        "BatchNorm2d" => BatchNorm(args, path, input),
        "LayerNorm" => LayerNorm(args, path, input),
        "Dropout" => Dropout(args, path, input),
        "Flatten" => Flatten(args, path, input),
        "Normalize" => Normalize(args, path, input),
        "PatchEmbedding" => PatchEmbedding(args, path, input),
        "ClassToken" => ClassToken(args, path, input),
        "PositionEmbedding" => PositionEmbedding(args, path, input),
        "SelfAttention" => SelfAttention(args, path, input),
        "Mlp" => Mlp(args, path, input),
        "SelectToken" => SelectToken(args, path, input),
        _ => throw args.Unsupported($"'{args.Kind}' is not a layer of the spec language"),
    };

    private static Layer Conv2d(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        int outChannels = args.Int("outchannels", 0, minimum: 1);
        int kernel = args.Int("kernel", 0, minimum: 1);
        int stride = args.Int("stride", 1, minimum: 1);
        int padding = args.Int("padding", 0, minimum: 0);
        int groups = args.Int("groups", 1, minimum: 1);
        int inChannels = input[0];
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw args.Invalid("groups", $"groups = {groups} must divide both the input channels ({inChannels}) and the output channels ({outChannels})");
        }
        Shape output = Shape.Image(outChannels, Sliding(args, input[1], kernel, stride, padding), Sliding(args, input[2], kernel, stride, padding));
        return new Conv2d(path, input, output, inChannels, outChannels, kernel, stride, padding, groups, args.Bool("bias", true));
    }

    private static Layer Linear(DeclarationArgs args, string path, Shape input, int outFeatures)
    {
        if (Shapes.IsImage(input))
        {
            throw args.ShapeMismatch($"Linear needs a feature vector or tokens but receives {Shapes.Describe(input)}; add [Flatten] (after a pool, if you like) before it");
        }
        Shape output = Shapes.IsTokens(input) ? Shape.Tokens(input[0], outFeatures) : Shape.Vector(outFeatures);
        return new Linear(path, input, output, input[input.Rank - 1], outFeatures, args.Bool("bias", true));
    }

    private static Layer Classifier(DeclarationArgs args, string path, Shape input, int classes)
    {
        if (!Shapes.IsVector(input))
        {
            throw args.ShapeMismatch($"the classifier needs a feature vector but receives {Shapes.Describe(input)}; add [Flatten] or [SelectToken] before it");
        }
        return Linear(args, path, input, classes);
    }

    private static Layer Pool(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        int kernel = args.Int("kernel", 0, minimum: 1);
        int stride = args.Int("stride", 0, minimum: 0);
        stride = stride == 0 ? kernel : stride;
        int padding = args.Int("padding", 0, minimum: 0);
        if (2 * padding > kernel)
        {
            throw args.Invalid("padding", $"padding {padding} is more than half the kernel size {kernel}, which PyTorch rejects; use padding ≤ {kernel / 2}");
        }
        Shape output = Shape.Image(input[0], Sliding(args, input[1], kernel, stride, padding), Sliding(args, input[2], kernel, stride, padding));
        return args.Kind == "MaxPool2d"
            ? new MaxPool2d(path, input, output, kernel, stride, padding)
            : new AvgPool2d(path, input, output, kernel, stride, padding);
    }

    private static Layer AdaptiveAvgPool(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        int height = args.Int("height", 0, minimum: 1);
        int width = args.Int("width", 0, minimum: 1);
        return new AdaptiveAvgPool2d(path, input, Shape.Image(input[0], height, width), height, width);
    }

    private static Layer BatchNorm(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        return new BatchNorm2d(path, input, input, input[0], PositiveEps(args));
    }

    private static Layer LayerNorm(DeclarationArgs args, string path, Shape input)
    {
        if (Shapes.IsImage(input))
        {
            throw args.ShapeMismatch($"LayerNorm normalises the features of each token but receives {Shapes.Describe(input)}; use BatchNorm2d for images");
        }
        return new LayerNorm(path, input, input, input[input.Rank - 1], PositiveEps(args));
    }

    private static Layer Dropout(DeclarationArgs args, string path, Shape input)
    {
        double p = args.Double("probability", 0);
        if (!(p >= 0 && p < 1))
        {
            throw args.Invalid("probability", $"the drop probability is {p.ToString(CultureInfo.InvariantCulture)} but must lie in [0, 1)");
        }
        return new Dropout(path, input, input, p);
    }

    private static Layer Flatten(DeclarationArgs args, string path, Shape input)
    {
        if (Shapes.IsVector(input))
        {
            throw args.ShapeMismatch($"Flatten receives {Shapes.Describe(input)}, which is flat already; remove it");
        }
        return new Flatten(path, input, Shape.Vector(checked((int)input.Elements)));
    }

    private static Layer Normalize(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        IReadOnlyList<double> mean = args.Doubles("mean");
        IReadOnlyList<double> std = args.Doubles("std");
        if (mean.Count != input[0] || std.Count != input[0])
        {
            throw args.ShapeMismatch($"Normalize gives {mean.Count} means and {std.Count} standard deviations for {Shapes.Describe(input)}; give one of each per channel ({input[0]})");
        }
        if (std.Any(s => !(s > 0)) || mean.Any(double.IsNaN))
        {
            throw args.Invalid("std", "every standard deviation must be positive");
        }
        return new Normalize(path, input, input, mean.ToEquatableList(), std.ToEquatableList());
    }

    private static Layer PatchEmbedding(DeclarationArgs args, string path, Shape input)
    {
        RequireImage(args, input);
        int dim = args.Int("dim", 0, minimum: 1);
        int patch = args.Int("patch", 0, minimum: 1);
        if (input[1] % patch != 0 || input[2] % patch != 0)
        {
            throw args.ShapeMismatch($"patches of {patch}×{patch} do not tile {Shapes.Describe(input)}; choose a patch size dividing {input[1]} and {input[2]}");
        }
        Shape output = Shape.Tokens(input[1] / patch * (input[2] / patch), dim);
        return new PatchEmbedding(path, input, output, input[0], dim, patch);
    }

    private static Layer ClassToken(DeclarationArgs args, string path, Shape input)
    {
        RequireTokens(args, input);
        return new ClassToken(path, input, Shape.Tokens(input[0] + 1, input[1]), input[1]);
    }

    private static Layer PositionEmbedding(DeclarationArgs args, string path, Shape input)
    {
        RequireTokens(args, input);
        return new PositionEmbedding(path, input, input, input[0], input[1]);
    }

    private static Layer SelfAttention(DeclarationArgs args, string path, Shape input)
    {
        RequireTokens(args, input);
        int heads = args.Int("heads", 0, minimum: 1);
        if (input[1] % heads != 0)
        {
            throw args.Invalid("heads", $"{heads} heads do not divide the token dimension {input[1]}; choose a divisor of {input[1]}");
        }
        return new MultiHeadSelfAttention(path, input, input, input[1], heads);
    }

    /// <summary>torchvision's MLPBlock: children 0 Linear, 1 GELU, 2 Dropout, 3 Linear, 4 Dropout.</summary>
    private static Layer Mlp(DeclarationArgs args, string path, Shape input)
    {
        if (Shapes.IsImage(input))
        {
            throw args.ShapeMismatch($"the MLP acts on tokens or feature vectors but receives {Shapes.Describe(input)}");
        }
        int hidden = args.Int("hidden", 0, minimum: 1);
        double p = args.Double("dropout", 0);
        if (!(p >= 0 && p < 1))
        {
            throw args.Invalid("dropout", $"the drop probability is {p.ToString(CultureInfo.InvariantCulture)} but must lie in [0, 1)");
        }
        int features = input[input.Rank - 1];
        Shape wide = input.Rank == 2 ? Shape.Tokens(input[0], hidden) : Shape.Vector(hidden);
        var layers = new Layer[]
        {
            new Linear(path + ".0", input, wide, features, hidden, true),
            new Activation(path + ".1", wide, wide, ActivationFunction.GELU),
            new Dropout(path + ".2", wide, wide, p),
            new Linear(path + ".3", wide, input, hidden, features, true),
            new Dropout(path + ".4", input, input, p),
        };
        return new Sequence(path, input, input, layers.ToEquatableList());
    }

    private static Layer SelectToken(DeclarationArgs args, string path, Shape input)
    {
        RequireTokens(args, input);
        int index = args.Int("index", 0, minimum: 0);
        if (index >= input[0])
        {
            throw args.Invalid("index", $"token {index} does not exist in {Shapes.Describe(input)}");
        }
        return new TokenSelect(path, input, Shape.Vector(input[1]), index);
    }

    private static int Sliding(DeclarationArgs args, int size, int kernel, int stride, int padding)
    {
        if (size + 2 * padding < kernel)
        {
            throw args.ShapeMismatch($"the {kernel}×{kernel} kernel is larger than the padded input ({size} + 2·{padding}); reduce the kernel, pad more, or pool less before this layer");
        }
        return Shapes.SlidingOutput(size, kernel, stride, padding);
    }

    private static double PositiveEps(DeclarationArgs args)
    {
        double eps = args.Double("eps", 1e-5);
        if (!(eps > 0))
        {
            throw args.Invalid("eps", "eps must be positive (it keeps the normalisation finite)");
        }
        return eps;
    }

    private static void RequireImage(DeclarationArgs args, Shape input)
    {
        if (!Shapes.IsImage(input))
        {
            throw args.ShapeMismatch($"{args.Kind} needs an image (C×H×W) but receives {Shapes.Describe(input)}");
        }
    }

    private static void RequireTokens(DeclarationArgs args, Shape input)
    {
        if (!Shapes.IsTokens(input))
        {
            throw args.ShapeMismatch($"{args.Kind} needs tokens (tokens×dim) but receives {Shapes.Describe(input)}; add [PatchEmbedding] first");
        }
    }
}

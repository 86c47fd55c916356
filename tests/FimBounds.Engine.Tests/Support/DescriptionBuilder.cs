using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// Builds architecture descriptions by hand with shapes inferred, for test networks covering every layer
/// kind. Each primitive gets a unique path (prefix + running number), which <see cref="DescribedModel"/>
/// uses as its module name, so weights are found by path exactly as in generated models.
/// </summary>
public sealed class DescriptionBuilder
{
    private readonly string _prefix;
    private readonly List<Layer> _layers = new();
    private readonly Shape _input;
    private int _next;

    public DescriptionBuilder(string prefix, Shape input)
    {
        _prefix = prefix;
        _input = input;
        Current = input;
    }

    public Shape Current { get; private set; }

    public static ArchitectureDescription Describe(string name, Shape input, int classes, Action<DescriptionBuilder> body,
        ArchitectureFamily family = ArchitectureFamily.Other)
    {
        var builder = new DescriptionBuilder("", input);
        body(builder);
        return new ArchitectureDescription(name, family, input, classes, builder.Build(""));
    }

    public Sequence Build(string path) => new(path, _input, Current, EquatableList.Of(_layers.ToArray()));

    private string NextPath() => _prefix.Length == 0 ? $"l{_next++}" : $"{_prefix}.l{_next++}";

    private T Add<T>(T layer) where T : Layer
    {
        _layers.Add(layer);
        Current = layer.Output;
        return layer;
    }

    public DescriptionBuilder Normalize(double[] mean, double[] std)
    {
        Add(new Normalize(NextPath(), Current, Current, EquatableList.Of(mean), EquatableList.Of(std)));
        return this;
    }

    public DescriptionBuilder Conv(int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true)
    {
        int h = (Current[1] + 2 * padding - kernel) / stride + 1;
        int w = (Current[2] + 2 * padding - kernel) / stride + 1;
        Add(new Conv2d(NextPath(), Current, Shape.Image(outChannels, h, w), Current[0], outChannels, kernel, stride, padding, groups, bias));
        return this;
    }

    public DescriptionBuilder BatchNorm()
    {
        Add(new BatchNorm2d(NextPath(), Current, Current, Current[0]));
        return this;
    }

    public DescriptionBuilder Act(ActivationFunction function, double slope = 0.01)
    {
        Add(new Activation(NextPath(), Current, Current, function, slope));
        return this;
    }

    public DescriptionBuilder MaxPool(int kernel, int stride, int padding = 0)
    {
        Add(new MaxPool2d(NextPath(), Current, PoolShape(kernel, stride, padding), kernel, stride, padding));
        return this;
    }

    public DescriptionBuilder AvgPool(int kernel, int stride, int padding = 0)
    {
        Add(new AvgPool2d(NextPath(), Current, PoolShape(kernel, stride, padding), kernel, stride, padding));
        return this;
    }

    public DescriptionBuilder AdaptiveAvgPool(int height, int width)
    {
        Add(new AdaptiveAvgPool2d(NextPath(), Current, Shape.Image(Current[0], height, width), height, width));
        return this;
    }

    public DescriptionBuilder Dropout(double p = 0.5)
    {
        Add(new Dropout(NextPath(), Current, Current, p));
        return this;
    }

    public DescriptionBuilder Flatten()
    {
        Add(new Flatten(NextPath(), Current, Shape.Vector((int)Current.Elements)));
        return this;
    }

    public DescriptionBuilder Linear(int outFeatures, bool bias = true)
    {
        Shape output = Current.Rank == 2 ? Shape.Tokens(Current[0], outFeatures) : Shape.Vector(outFeatures);
        Add(new Linear(NextPath(), Current, output, Current[Current.Rank - 1], outFeatures, bias));
        return this;
    }

    public DescriptionBuilder LayerNorm(double eps = 1e-5)
    {
        Add(new LayerNorm(NextPath(), Current, Current, Current[Current.Rank - 1], eps));
        return this;
    }

    public DescriptionBuilder PatchEmbedding(int dim, int patch)
    {
        int tokens = (Current[1] / patch) * (Current[2] / patch);
        Add(new PatchEmbedding(NextPath(), Current, Shape.Tokens(tokens, dim), Current[0], dim, patch));
        return this;
    }

    public DescriptionBuilder ClassToken()
    {
        Add(new ClassToken(NextPath(), Current, Shape.Tokens(Current[0] + 1, Current[1]), Current[1]));
        return this;
    }

    public DescriptionBuilder PositionEmbedding()
    {
        Add(new PositionEmbedding(NextPath(), Current, Current, Current[0], Current[1]));
        return this;
    }

    public DescriptionBuilder Attention(int heads)
    {
        Add(new MultiHeadSelfAttention(NextPath(), Current, Current, Current[1], heads));
        return this;
    }

    public DescriptionBuilder SelectToken(int index = 0)
    {
        Add(new TokenSelect(NextPath(), Current, Shape.Vector(Current[1]), index));
        return this;
    }

    /// <summary>y = After(Body(x) + Projection(x)) (identity shortcut when no projection).</summary>
    public DescriptionBuilder Residual(Action<DescriptionBuilder> body, Action<DescriptionBuilder>? projection = null, ActivationFunction? after = null)
    {
        string path = NextPath();
        var bodyBuilder = new DescriptionBuilder(path + ".body", Current);
        body(bodyBuilder);
        Sequence? shortcut = null;
        if (projection is not null)
        {
            var p = new DescriptionBuilder(path + ".shortcut", Current);
            projection(p);
            shortcut = p.Build(path + ".shortcut");
        }
        Shape output = bodyBuilder.Current;
        Activation? activation = after is { } f ? new Activation(path + ".after", output, output, f) : null;
        Add(new Residual(path, Current, output, bodyBuilder.Build(path + ".body"), shortcut, activation));
        return this;
    }

    /// <summary>A dense block: each step maps x ↦ [x, h(x)] along channels.</summary>
    public DescriptionBuilder DenseBlock(int steps, Action<DescriptionBuilder> step)
    {
        string path = NextPath();
        Shape shape = Current;
        var sequences = new List<Sequence>();
        for (int i = 0; i < steps; i++)
        {
            var s = new DescriptionBuilder($"{path}.step{i}", shape);
            step(s);
            sequences.Add(s.Build($"{path}.step{i}"));
            shape = Shape.Image(shape[0] + s.Current[0], shape[1], shape[2]);
        }
        Add(new DenseBlock(path, Current, shape, EquatableList.Of(sequences.ToArray())));
        return this;
    }

    private Shape PoolShape(int kernel, int stride, int padding) =>
        Shape.Image(Current[0], (Current[1] + 2 * padding - kernel) / stride + 1, (Current[2] + 2 * padding - kernel) / stride + 1);
}

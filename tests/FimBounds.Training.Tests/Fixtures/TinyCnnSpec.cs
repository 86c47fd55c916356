using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;
using FimBounds.Data;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Fixtures;

/// <summary>
/// A small hand-built CNN for Fashion-MNIST (normalise → conv → ReLU → pool → conv → ReLU → pool → linear),
/// with a matching description, so training, checkpoint and attack tests do not depend on the zoo and
/// run in seconds.
/// </summary>
public sealed class TinyCnnSpec : IModelSpec
{
    private readonly int _channels1;
    private readonly int _channels2;
    private readonly bool _averagePool;

    /// <param name="averagePool">
    /// Average instead of max pooling: smooth everywhere. Max pooling is not differentiable where a
    /// window ties, which convolutions over Fashion-MNIST's exactly-zero background produce.
    /// </param>
    public TinyCnnSpec(string name = "tiny-cnn", int channels1 = 8, int channels2 = 16, bool averagePool = false)
    {
        Name = name;
        _channels1 = channels1;
        _channels2 = channels2;
        _averagePool = averagePool;
        Description = Describe(name, channels1, channels2, averagePool);
    }

    public string Name { get; }

    public ArchitectureDescription Description { get; }

    public string BoundText => "";

    public string BoundLatex => "";

    public nn.Module<Tensor, Tensor> CreateModel() => nn.Sequential(
        ("normalize", FashionMnist.Normalization.ToModule()),
        ("conv1", nn.Conv2d(1, _channels1, 3, padding: 1)),
        ("relu1", nn.ReLU()),
        ("pool1", Pool()),
        ("conv2", nn.Conv2d(_channels1, _channels2, 3, padding: 1)),
        ("relu2", nn.ReLU()),
        ("pool2", Pool()),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(_channels2 * 49, 10)));

    private nn.Module<Tensor, Tensor> Pool() => _averagePool ? nn.AvgPool2d(2) : nn.MaxPool2d(2);

    private static ArchitectureDescription Describe(string name, int c1, int c2, bool averagePool)
    {
        Layer Pool(string path, int channels, int side) => averagePool
            ? new AvgPool2d(path, Shape.Image(channels, side, side), Shape.Image(channels, side / 2, side / 2), 2, 2, 0)
            : new MaxPool2d(path, Shape.Image(channels, side, side), Shape.Image(channels, side / 2, side / 2), 2, 2, 0);
        Shape input = Shape.Image(1, 28, 28);
        var layers = new Layer[]
        {
            new Normalize("normalize", input, input, EquatableList.Of(0.2860), EquatableList.Of(0.3530)),
            new Conv2d("conv1", input, Shape.Image(c1, 28, 28), 1, c1, 3, 1, 1, 1, true),
            new Activation("relu1", Shape.Image(c1, 28, 28), Shape.Image(c1, 28, 28), ActivationFunction.ReLU),
            Pool("pool1", c1, 28),
            new Conv2d("conv2", Shape.Image(c1, 14, 14), Shape.Image(c2, 14, 14), c1, c2, 3, 1, 1, 1, true),
            new Activation("relu2", Shape.Image(c2, 14, 14), Shape.Image(c2, 14, 14), ActivationFunction.ReLU),
            Pool("pool2", c2, 14),
            new Flatten("flatten", Shape.Image(c2, 7, 7), Shape.Vector(c2 * 49)),
            new Linear("fc", Shape.Vector(c2 * 49), Shape.Vector(10), c2 * 49, 10, true),
        };
        var network = new Sequence("", input, Shape.Vector(10), layers.ToEquatableList());
        return new ArchitectureDescription(name, ArchitectureFamily.Other, input, 10, network);
    }
}

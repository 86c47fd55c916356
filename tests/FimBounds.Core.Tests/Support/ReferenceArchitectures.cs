using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Tests.Support;

/// <summary>
/// Full-size descriptions of the paper's four architectures (torchvision layouts and paths, ImageNet
/// input normalisation): VGG16, ResNet18, DenseNet121, ViT-B/16 — the inputs of the theoretical ranking.
/// </summary>
public static class ReferenceArchitectures
{
    private static readonly double[] Mean = { 0.485, 0.456, 0.406 };
    private static readonly double[] Std = { 0.229, 0.224, 0.225 };

    private static Shape Img(int c, int h, int w) => Shape.Image(c, h, w);

    private static Sequence Seq(string path, Shape input, Shape output, IEnumerable<Layer> layers) => new(path, input, output, layers.ToEquatableList());

    private static Normalize Normalise() => new("normalize", Img(3, 224, 224), Img(3, 224, 224), Mean.ToEquatableList(), Std.ToEquatableList());

    private static Conv2d Conv(string path, int cin, int cout, int size, int k, int stride, int pad, bool bias = false)
    {
        int o = (size + 2 * pad - k) / stride + 1;
        return new Conv2d(path, Img(cin, size, size), Img(cout, o, o), cin, cout, k, stride, pad, 1, bias);
    }

    private static Activation Relu(string path, Shape s) => new(path, s, s, ActivationFunction.ReLU);

    private static BatchNorm2d Bn(string path, int c, int size) => new(path, Img(c, size, size), Img(c, size, size), c);

    public static ArchitectureDescription Vgg16()
    {
        int[] config = { 64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0 };
        var features = new List<Layer>();
        int c = 3;
        int size = 224;
        int i = 0;
        foreach (int item in config)
        {
            if (item == 0)
            {
                features.Add(new MaxPool2d($"features.{i++}", Img(c, size, size), Img(c, size / 2, size / 2), 2, 2, 0));
                size /= 2;
                continue;
            }
            features.Add(Conv($"features.{i++}", c, item, size, 3, 1, 1, bias: true));
            features.Add(Relu($"features.{i++}", Img(item, size, size)));
            c = item;
        }
        var v = Shape.Vector(4096);
        var network = Seq("", Img(3, 224, 224), Shape.Vector(1000), new Layer[]
        {
            Normalise(),
            Seq("features", Img(3, 224, 224), Img(512, 7, 7), features),
            new AdaptiveAvgPool2d("avgpool", Img(512, 7, 7), Img(512, 7, 7), 7, 7),
            new Flatten("flatten", Img(512, 7, 7), Shape.Vector(25088)),
            Seq("classifier", Shape.Vector(25088), Shape.Vector(1000), new Layer[]
            {
                new Linear("classifier.0", Shape.Vector(25088), v, 25088, 4096, true), Relu("classifier.1", v), new Dropout("classifier.2", v, v, 0.5),
                new Linear("classifier.3", v, v, 4096, 4096, true), Relu("classifier.4", v), new Dropout("classifier.5", v, v, 0.5),
                new Linear("classifier.6", v, Shape.Vector(1000), 4096, 1000, true),
            }),
        });
        return new ArchitectureDescription("vgg16", ArchitectureFamily.Vgg, Img(3, 224, 224), 1000, network);
    }

    public static ArchitectureDescription ResNet18()
    {
        var layers = new List<Layer>
        {
            Normalise(),
            Conv("conv1", 3, 64, 224, 7, 2, 3), Bn("bn1", 64, 112), Relu("relu", Img(64, 112, 112)),
            new MaxPool2d("maxpool", Img(64, 112, 112), Img(64, 56, 56), 3, 2, 1),
        };
        int c = 64;
        int size = 56;
        for (int stage = 1; stage <= 4; stage++)
        {
            int cout = 64 << (stage - 1);
            var blocks = new List<Layer>();
            for (int b = 0; b < 2; b++)
            {
                int stride = stage > 1 && b == 0 ? 2 : 1;
                int o = size / stride;
                string p = $"layer{stage}.{b}";
                var outShape = Img(cout, o, o);
                var body = Seq(p, Img(c, size, size), outShape, new Layer[]
                {
                    Conv(p + ".conv1", c, cout, size, 3, stride, 1), Bn(p + ".bn1", cout, o), Relu(p + ".relu", outShape),
                    Conv(p + ".conv2", cout, cout, o, 3, 1, 1), Bn(p + ".bn2", cout, o),
                });
                Sequence? projection = stride == 1 && c == cout ? null : Seq(p + ".downsample", Img(c, size, size), outShape, new Layer[]
                {
                    Conv(p + ".downsample.0", c, cout, size, 1, stride, 0), Bn(p + ".downsample.1", cout, o),
                });
                blocks.Add(new Residual(p, Img(c, size, size), outShape, body, projection, Relu(p + ".relu", outShape)));
                c = cout;
                size = o;
            }
            layers.Add(Seq($"layer{stage}", blocks[0].Input, blocks[1].Output, blocks));
        }
        layers.Add(new AdaptiveAvgPool2d("avgpool", Img(512, 7, 7), Img(512, 1, 1), 1, 1));
        layers.Add(new Flatten("flatten", Img(512, 1, 1), Shape.Vector(512)));
        layers.Add(new Linear("fc", Shape.Vector(512), Shape.Vector(1000), 512, 1000, true));
        return new ArchitectureDescription("resnet18", ArchitectureFamily.ResNet, Img(3, 224, 224), 1000,
            Seq("", Img(3, 224, 224), Shape.Vector(1000), layers));
    }

    public static ArchitectureDescription DenseNet121()
    {
        const int growth = 32;
        const int bottleneck = 4 * growth;
        int[] blockLayers = { 6, 12, 24, 16 };
        var features = new List<Layer>
        {
            Conv("features.conv0", 3, 64, 224, 7, 2, 3), Bn("features.norm0", 64, 112), Relu("features.relu0", Img(64, 112, 112)),
            new MaxPool2d("features.pool0", Img(64, 112, 112), Img(64, 56, 56), 3, 2, 1),
        };
        int c = 64;
        int size = 56;
        for (int b = 0; b < blockLayers.Length; b++)
        {
            var steps = new List<Sequence>();
            int cin = c;
            for (int l = 1; l <= blockLayers[b]; l++)
            {
                string p = $"features.denseblock{b + 1}.denselayer{l}";
                steps.Add(Seq(p, Img(c, size, size), Img(growth, size, size), new Layer[]
                {
                    Bn(p + ".norm1", c, size), Relu(p + ".relu1", Img(c, size, size)), Conv(p + ".conv1", c, bottleneck, size, 1, 1, 0),
                    Bn(p + ".norm2", bottleneck, size), Relu(p + ".relu2", Img(bottleneck, size, size)), Conv(p + ".conv2", bottleneck, growth, size, 3, 1, 1),
                }));
                c += growth;
            }
            features.Add(new DenseBlock($"features.denseblock{b + 1}", Img(cin, size, size), Img(c, size, size), steps.ToEquatableList()));
            if (b < blockLayers.Length - 1)
            {
                string t = $"features.transition{b + 1}";
                features.Add(Seq(t, Img(c, size, size), Img(c / 2, size / 2, size / 2), new Layer[]
                {
                    Bn(t + ".norm", c, size), Relu(t + ".relu", Img(c, size, size)), Conv(t + ".conv", c, c / 2, size, 1, 1, 0),
                    new AvgPool2d(t + ".pool", Img(c / 2, size, size), Img(c / 2, size / 2, size / 2), 2, 2, 0),
                }));
                c /= 2;
                size /= 2;
            }
        }
        features.Add(Bn("features.norm5", c, size));
        var network = Seq("", Img(3, 224, 224), Shape.Vector(1000), new Layer[]
        {
            Normalise(),
            Seq("features", Img(3, 224, 224), Img(c, size, size), features),
            Relu("relu", Img(c, size, size)),
            new AdaptiveAvgPool2d("avgpool", Img(c, size, size), Img(c, 1, 1), 1, 1),
            new Flatten("flatten", Img(c, 1, 1), Shape.Vector(c)),
            new Linear("classifier", Shape.Vector(c), Shape.Vector(1000), c, 1000, true),
        });
        return new ArchitectureDescription("densenet121", ArchitectureFamily.DenseNet, Img(3, 224, 224), 1000, network);
    }

    public static ArchitectureDescription VitB16()
    {
        var description = Architectures.Transformer(blocks: 12, dim: 768, heads: 12, patch: 16, imageSize: 224, channels: 3, hidden: 3072, classes: 1000);
        var network = description.Network;
        var withNormalize = new Sequence(network.Path, network.Input, network.Output, new Layer[] { Normalise() }.Concat(network.Layers).ToEquatableList());
        return description with { Name = "vit-b-16", Network = withNormalize };
    }
}

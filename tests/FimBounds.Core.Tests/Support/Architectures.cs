using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Tests.Support;

/// <summary>
/// Small representative descriptions of the four families, built by hand with torchvision's paths,
/// so the derived bounds can be compared with the closed forms of DESIGN.md §7.
/// </summary>
public static class Architectures
{
    private static Sequence Seq(string path, Shape input, Shape output, params Layer[] layers) =>
        new(path, input, output, layers.ToEquatableList());

    private static Shape Img(int c, int h, int w) => Shape.Image(c, h, w);

    private static Conv2d Conv(string path, int cin, int cout, int h, int w, int k, int stride, int pad, int hout, int wout) =>
        new(path, Img(cin, h, w), Img(cout, hout, wout), cin, cout, k, stride, pad, 1, false);

    /// <summary>VGG-style: [conv-bn-relu]×2, maxpool, [conv-bn-relu]×2, maxpool, flatten, linear-relu-dropout, linear.</summary>
    public static ArchitectureDescription Vgg(int convs = 4)
    {
        var layers = new List<Layer>();
        int c = 1;
        int size = 16;
        int index = 0;
        for (int i = 0; i < convs; i++)
        {
            int cout = 4 * (1 + i / 2);
            layers.Add(Conv($"features.{index++}", c, cout, size, size, 3, 1, 1, size, size));
            layers.Add(new BatchNorm2d($"features.{index++}", Img(cout, size, size), Img(cout, size, size), cout));
            layers.Add(new Activation($"features.{index++}", Img(cout, size, size), Img(cout, size, size), ActivationFunction.ReLU));
            c = cout;
            if (i % 2 == 1)
            {
                layers.Add(new MaxPool2d($"features.{index++}", Img(c, size, size), Img(c, size / 2, size / 2), 2, 2, 0));
                size /= 2;
            }
        }
        var features = Seq("features", Img(1, 16, 16), Img(c, size, size), layers.ToArray());
        int flat = c * size * size;
        var classifier = Seq("classifier", Shape.Vector(flat), Shape.Vector(10),
            new Linear("classifier.0", Shape.Vector(flat), Shape.Vector(32), flat, 32, true),
            new Activation("classifier.1", Shape.Vector(32), Shape.Vector(32), ActivationFunction.ReLU),
            new Dropout("classifier.2", Shape.Vector(32), Shape.Vector(32), 0.5),
            new Linear("classifier.3", Shape.Vector(32), Shape.Vector(10), 32, 10, true));
        var network = Seq("", Img(1, 16, 16), Shape.Vector(10),
            features,
            new Flatten("flatten", Img(c, size, size), Shape.Vector(flat)),
            classifier);
        return new ArchitectureDescription("vgg-test", ArchitectureFamily.Vgg, Img(1, 16, 16), 10, network);
    }

    private static Residual BasicBlock(string path, int cin, int cout, int size, int stride)
    {
        int outSize = size / stride;
        var body = Seq(path, Img(cin, size, size), Img(cout, outSize, outSize),
            Conv(path + ".conv1", cin, cout, size, size, 3, stride, 1, outSize, outSize),
            new BatchNorm2d(path + ".bn1", Img(cout, outSize, outSize), Img(cout, outSize, outSize), cout),
            new Activation(path + ".relu", Img(cout, outSize, outSize), Img(cout, outSize, outSize), ActivationFunction.ReLU),
            Conv(path + ".conv2", cout, cout, outSize, outSize, 3, 1, 1, outSize, outSize),
            new BatchNorm2d(path + ".bn2", Img(cout, outSize, outSize), Img(cout, outSize, outSize), cout));
        Sequence? projection = stride == 1 && cin == cout
            ? null
            : Seq(path + ".downsample", Img(cin, size, size), Img(cout, outSize, outSize),
                Conv(path + ".downsample.0", cin, cout, size, size, 1, stride, 0, outSize, outSize),
                new BatchNorm2d(path + ".downsample.1", Img(cout, outSize, outSize), Img(cout, outSize, outSize), cout));
        return new Residual(path, Img(cin, size, size), Img(cout, outSize, outSize), body, projection,
            new Activation(path + ".relu", Img(cout, outSize, outSize), Img(cout, outSize, outSize), ActivationFunction.ReLU));
    }

    /// <summary>ResNet-style: stem conv-bn-relu-maxpool(3,2,1), stages of basic blocks, global average pool, fc.</summary>
    public static ArchitectureDescription ResNet(int blocksPerStage = 2, int stages = 2)
    {
        var layers = new List<Layer>
        {
            Conv("conv1", 1, 4, 16, 16, 3, 1, 1, 16, 16),
            new BatchNorm2d("bn1", Img(4, 16, 16), Img(4, 16, 16), 4),
            new Activation("relu", Img(4, 16, 16), Img(4, 16, 16), ActivationFunction.ReLU),
            new MaxPool2d("maxpool", Img(4, 16, 16), Img(4, 8, 8), 3, 2, 1),
        };
        int c = 4;
        int size = 8;
        for (int s = 0; s < stages; s++)
        {
            int cout = 4 << s;
            var blocks = new List<Layer>();
            for (int b = 0; b < blocksPerStage; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(BasicBlock($"layer{s + 1}.{b}", c, cout, size, stride));
                size /= stride;
                c = cout;
            }
            layers.Add(Seq($"layer{s + 1}", blocks[0].Input, blocks[blocks.Count - 1].Output, blocks.ToArray()));
        }
        layers.Add(new AdaptiveAvgPool2d("avgpool", Img(c, size, size), Img(c, 1, 1), 1, 1));
        layers.Add(new Flatten("flatten", Img(c, 1, 1), Shape.Vector(c)));
        layers.Add(new Linear("fc", Shape.Vector(c), Shape.Vector(10), c, 10, true));
        var network = Seq("", Img(1, 16, 16), Shape.Vector(10), layers.ToArray());
        return new ArchitectureDescription("resnet-test", ArchitectureFamily.ResNet, Img(1, 16, 16), 10, network);
    }

    private static Sequence DenseLayer(string path, int cin, int growth, int size)
    {
        var shapeIn = Img(cin, size, size);
        var mid = Img(4 * growth, size, size);
        return Seq(path, shapeIn, Img(growth, size, size),
            new BatchNorm2d(path + ".norm1", shapeIn, shapeIn, cin),
            new Activation(path + ".relu1", shapeIn, shapeIn, ActivationFunction.ReLU),
            Conv(path + ".conv1", cin, 4 * growth, size, size, 1, 1, 0, size, size),
            new BatchNorm2d(path + ".norm2", mid, mid, 4 * growth),
            new Activation(path + ".relu2", mid, mid, ActivationFunction.ReLU),
            Conv(path + ".conv2", 4 * growth, growth, size, size, 3, 1, 1, size, size));
    }

    /// <summary>DenseNet-style: stem conv, dense blocks with transitions (bn-relu-conv1×1-avgpool 2×2), final bn-relu, global pool, classifier.</summary>
    public static ArchitectureDescription DenseNet(int layersPerBlock = 2, int blocks = 2)
    {
        const int growth = 4;
        var layers = new List<Layer> { Conv("features.conv0", 1, 8, 16, 16, 3, 1, 1, 16, 16) };
        int c = 8;
        int size = 16;
        for (int b = 0; b < blocks; b++)
        {
            var steps = new List<Sequence>();
            int cin = c;
            for (int l = 0; l < layersPerBlock; l++)
            {
                steps.Add(DenseLayer($"features.denseblock{b + 1}.denselayer{l + 1}", c, growth, size));
                c += growth;
            }
            layers.Add(new DenseBlock($"features.denseblock{b + 1}", Img(cin, size, size), Img(c, size, size), steps.ToEquatableList()));
            if (b < blocks - 1)
            {
                string t = $"features.transition{b + 1}";
                int cout = c / 2;
                layers.Add(Seq(t, Img(c, size, size), Img(cout, size / 2, size / 2),
                    new BatchNorm2d(t + ".norm", Img(c, size, size), Img(c, size, size), c),
                    new Activation(t + ".relu", Img(c, size, size), Img(c, size, size), ActivationFunction.ReLU),
                    Conv(t + ".conv", c, cout, size, size, 1, 1, 0, size, size),
                    new AvgPool2d(t + ".pool", Img(cout, size, size), Img(cout, size / 2, size / 2), 2, 2, 0)));
                c = cout;
                size /= 2;
            }
        }
        layers.Add(new BatchNorm2d("features.norm5", Img(c, size, size), Img(c, size, size), c));
        layers.Add(new Activation("features.relu5", Img(c, size, size), Img(c, size, size), ActivationFunction.ReLU));
        layers.Add(new AdaptiveAvgPool2d("avgpool", Img(c, size, size), Img(c, 1, 1), 1, 1));
        layers.Add(new Flatten("flatten", Img(c, 1, 1), Shape.Vector(c)));
        layers.Add(new Linear("classifier", Shape.Vector(c), Shape.Vector(10), c, 10, true));
        var network = Seq("", Img(1, 16, 16), Shape.Vector(10), layers.ToArray());
        return new ArchitectureDescription("densenet-test", ArchitectureFamily.DenseNet, Img(1, 16, 16), 10, network);
    }

    /// <summary>ViT-style (torchvision paths): patch embedding, class token, position embedding, pre-LN encoder blocks, final LN, token select, head.</summary>
    public static ArchitectureDescription Transformer(int blocks = 2, int dim = 16, int heads = 2, int patch = 8, int imageSize = 16, int channels = 1, int hidden = 0, int classes = 10)
    {
        if (hidden == 0)
        {
            hidden = 2 * dim;
        }
        int grid = imageSize / patch;
        int tokens = grid * grid + 1;
        var seq = Shape.Tokens(tokens, dim);
        var encoder = new List<Layer>
        {
            new PositionEmbedding("encoder.pos_embedding", seq, seq, tokens, dim),
            new Dropout("encoder.dropout", seq, seq, 0.0),
        };
        for (int b = 0; b < blocks; b++)
        {
            string p = $"encoder.layers.encoder_layer_{b}";
            var attention = new Residual(p + ".attention", seq, seq,
                Seq(p + ".attention", seq, seq,
                    new LayerNorm(p + ".ln_1", seq, seq, dim, 1e-6),
                    new MultiHeadSelfAttention(p + ".self_attention", seq, seq, dim, heads),
                    new Dropout(p + ".dropout", seq, seq, 0.0)),
                null, null);
            var hiddenShape = Shape.Tokens(tokens, hidden);
            var mlp = new Residual(p + ".mlp_block", seq, seq,
                Seq(p + ".mlp_block", seq, seq,
                    new LayerNorm(p + ".ln_2", seq, seq, dim, 1e-6),
                    new Linear(p + ".mlp.0", seq, hiddenShape, dim, hidden, true),
                    new Activation(p + ".mlp.1", hiddenShape, hiddenShape, ActivationFunction.GELU),
                    new Dropout(p + ".mlp.2", hiddenShape, hiddenShape, 0.0),
                    new Linear(p + ".mlp.3", hiddenShape, seq, hidden, dim, true),
                    new Dropout(p + ".mlp.4", seq, seq, 0.0)),
                null, null);
            encoder.Add(Seq(p, seq, seq, attention, mlp));
        }
        encoder.Add(new LayerNorm("encoder.ln", seq, seq, dim, 1e-6));
        var image = Img(channels, imageSize, imageSize);
        var network = Seq("", image, Shape.Vector(classes),
            new PatchEmbedding("conv_proj", image, Shape.Tokens(tokens - 1, dim), channels, dim, patch),
            new ClassToken("class_token", Shape.Tokens(tokens - 1, dim), seq, dim),
            Seq("encoder", seq, seq, encoder.ToArray()),
            new TokenSelect("select", seq, Shape.Vector(dim), 0),
            new Linear("heads.head", Shape.Vector(dim), Shape.Vector(classes), dim, classes, true));
        return new ArchitectureDescription("vit-test", ArchitectureFamily.Transformer, image, classes, network);
    }
}

using FimBounds.Core.Architecture;
using FimBounds.Zoo;

namespace FimBounds.Generators.Tests;

/// <summary>What the builder infers for the zoo: shapes through blocks, shortcuts where shapes change, dense growth.</summary>
public sealed class DescriptionTests
{
    private static Layer At(string spec, string path) =>
        ZooCatalog.Find(spec).Description.AllLayers().First(l => l.Path == path);

    [Fact]
    public void Resnet_projects_the_shortcut_only_in_the_first_block_of_a_downsampling_stage()
    {
        var first = Assert.IsType<Residual>(At("resnet18", "layer2.0"));
        var second = Assert.IsType<Residual>(At("resnet18", "layer2.1"));
        var stem = Assert.IsType<Residual>(At("resnet18", "layer1.0"));
        Assert.Equal(Shape.Image(64, 56, 56), first.Input);
        Assert.Equal(Shape.Image(128, 28, 28), first.Output);
        var projection = Assert.IsType<Conv2d>(first.Projection!.Layers[0]);
        Assert.Equal(("layer2.0.downsample.0", 1, 2, false), (projection.Path, projection.KernelSize, projection.Stride, projection.Bias));
        Assert.Equal("layer2.0.downsample.1", first.Projection.Layers[1].Path);
        Assert.Null(second.Projection);
        Assert.Null(stem.Projection);
        Assert.Equal(2, Assert.IsType<Conv2d>(At("resnet18", "layer2.0.conv1")).Stride);
        Assert.Equal(1, Assert.IsType<Conv2d>(At("resnet18", "layer2.1.conv1")).Stride);
        // One ReLU module applied twice, as in torchvision's BasicBlock.
        Assert.Equal("layer2.0.relu", first.After!.Path);
    }

    [Fact]
    public void Densenet_blocks_grow_by_the_growth_rate_per_layer_and_transitions_halve()
    {
        int[] expected = { 256, 128, 512, 256, 1024, 512, 1024 };
        string[] paths = { "features.denseblock1", "features.transition1", "features.denseblock2", "features.transition2", "features.denseblock3", "features.transition3", "features.denseblock4" };
        Assert.Equal(expected, paths.Select(p => At("densenet121", p).Output[0]));
        var block = Assert.IsType<DenseBlock>(At("densenet121", "features.denseblock3"));
        Assert.Equal(24, block.Steps.Count);
        Assert.Equal("features.denseblock3.denselayer24", block.Steps[23].Path);
        Assert.Equal(Shape.Image(32, 14, 14), block.Steps[23].Output);
        Assert.Equal(Shape.Image(1024, 7, 7), At("densenet121", "features.norm5").Output);
    }

    [Fact]
    public void Vit_tokens_and_encoder_blocks_follow_torchvision()
    {
        Assert.Equal(Shape.Tokens(196, 768), At("vit-b-16", "conv_proj").Output);
        Assert.Equal(Shape.Tokens(197, 768), At("vit-b-16", "class_token").Output);
        var attention = Assert.IsType<MultiHeadSelfAttention>(At("vit-b-16", "encoder.layers.encoder_layer_11.self_attention"));
        Assert.Equal((768, 12), (attention.Dim, attention.Heads));
        var block = Assert.IsType<Sequence>(At("vit-b-16", "encoder.layers.encoder_layer_0"));
        Assert.Equal(2, block.Layers.Count);
        Assert.All(block.Layers, l => Assert.Null(Assert.IsType<Residual>(l).Projection));
        Assert.Equal(Shape.Tokens(197, 3072), At("vit-b-16", "encoder.layers.encoder_layer_0.mlp.0").Output);
        Assert.Equal(Shape.Vector(768), At("vit-b-16", "heads.head").Input);
        Assert.Equal(Shape.Tokens(17, 64), At("vit-mini", "encoder.ln").Output);
    }

    [Fact]
    public void Vgg_numbers_its_stages_like_nn_sequential()
    {
        Assert.IsType<Conv2d>(At("vgg16", "features.28"));
        Assert.IsType<MaxPool2d>(At("vgg16", "features.30"));
        Assert.Equal(Shape.Image(512, 7, 7), At("vgg16", "features.30").Output);
        Assert.Equal(25088, Assert.IsType<Linear>(At("vgg16", "classifier.0")).InFeatures);
        Assert.Equal(1000, Assert.IsType<Linear>(At("vgg16", "classifier.6")).OutFeatures);
    }

    [Fact]
    public void Every_path_is_unique_except_a_reused_activation()
    {
        foreach (var spec in ZooCatalog.All)
        {
            var primitive = spec.Description.PrimitiveLayers().ToList();
            var duplicated = primitive.GroupBy(l => l.Path).Where(g => g.Count() > 1).ToList();
            Assert.All(duplicated, g => Assert.All(g, l => Assert.IsType<Activation>(l)));
            Assert.DoesNotContain(primitive, l => l.Path.Length == 0 || l.Path.StartsWith('.') || l.Path.Contains(".."));
        }
    }
}

using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Generators.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp";
}

/// <summary>
/// The generated models at run time: torchvision's parameter counts (counted on the TorchSharp module and in the
/// description), state_dict keys where the description says, and forward passes of the right shape.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ZooModelTests
{
    /// <summary>torchvision's parameter counts for the full-size models; the minis' are their own.</summary>
    public static TheoryData<string, long> ParameterCounts => new()
    {
        { "vgg11", 132_863_336 },
        { "vgg16", 138_357_544 },
        { "resnet18", 11_689_512 },
        { "resnet34", 21_797_672 },
        { "densenet121", 7_978_856 },
        { "vit-b-16", 86_567_656 },
        { "vgg-mini", 121_594 },
        { "resnet-mini", 174_970 },
        { "densenet-mini", 52_050 },
        { "vit-mini", 72_074 },
    };

    public ZooModelTests() => set_num_threads(2);

    [Theory]
    [MemberData(nameof(ParameterCounts))]
    public void Parameter_counts_match_in_the_module_and_the_description_and_sit_where_the_paths_say(string name, long expected)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        Assert.Equal(expected, spec.Description.Parameters);

        manual_seed(1);
        using var model = spec.CreateModel();
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter.numel())).ToList();
        Assert.Equal(expected, parameters.Sum(p => p.Item2));

        // Every parameterised layer's weights are exactly the parameters under its path: the engine's contract.
        foreach (Layer layer in spec.Description.PrimitiveLayers().Where(l => l.Parameters > 0))
        {
            long underPath = parameters.Where(p => p.name == layer.Path || p.name.StartsWith(layer.Path + ".", StringComparison.Ordinal)).Sum(p => p.Item2);
            Assert.True(layer.Parameters == underPath, $"{name}: {layer.Kind} '{layer.Path}' has {layer.Parameters} parameters in the description but {underPath} in the module");
        }
    }

    [Theory]
    [InlineData("resnet18", new[] { "conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer4.1.conv2.weight", "fc.weight", "fc.bias" })]
    [InlineData("vgg16", new[] { "features.0.weight", "features.28.bias", "classifier.0.weight", "classifier.3.weight", "classifier.6.bias" })]
    [InlineData("densenet121", new[] { "features.conv0.weight", "features.norm0.running_mean", "features.denseblock1.denselayer1.norm1.weight", "features.denseblock1.denselayer6.conv2.weight", "features.transition1.conv.weight", "features.denseblock4.denselayer16.conv1.weight", "features.norm5.bias", "classifier.weight" })]
    [InlineData("vit-b-16", new[] { "class_token", "conv_proj.weight", "encoder.pos_embedding", "encoder.layers.encoder_layer_0.ln_1.weight", "encoder.layers.encoder_layer_0.self_attention.in_proj_weight", "encoder.layers.encoder_layer_0.self_attention.in_proj_bias", "encoder.layers.encoder_layer_0.self_attention.out_proj.weight", "encoder.layers.encoder_layer_11.mlp.0.weight", "encoder.layers.encoder_layer_11.mlp.3.bias", "encoder.ln.weight", "heads.head.weight" })]
    public void State_dict_keys_are_torchvisions(string name, string[] keys)
    {
        using var model = ZooCatalog.Find(name).CreateModel();
        var stateDict = model.state_dict();
        Assert.All(keys, key => Assert.True(stateDict.ContainsKey(key), $"{name} lacks state_dict key '{key}'"));
        Assert.DoesNotContain(stateDict.Keys, k => k.StartsWith("normalize", StringComparison.Ordinal) || k.StartsWith("flatten", StringComparison.Ordinal));
        if (name == "vit-b-16")
        {
            Assert.Equal(new long[] { 1, 1, 768 }, stateDict["class_token"].shape);
            Assert.Equal(new long[] { 1, 197, 768 }, stateDict["encoder.pos_embedding"].shape);
            Assert.Equal(new long[] { 2304, 768 }, stateDict["encoder.layers.encoder_layer_0.self_attention.in_proj_weight"].shape);
        }
    }

    [Theory]
    [InlineData("vgg-mini")]
    [InlineData("resnet-mini")]
    [InlineData("densenet-mini")]
    [InlineData("vit-mini")]
    public void Mini_models_run_forward_and_backward_in_train_and_eval_mode(string name)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        manual_seed(7);
        using var model = spec.CreateModel();
        using var scope = NewDisposeScope();
        Tensor x = rand(4, 1, 28, 28);

        model.train();
        Tensor logits = model.call(x);
        Assert.Equal(new long[] { 4, 10 }, logits.shape);
        logits.sum().backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));

        model.eval();
        using (no_grad())
        {
            Tensor first = model.call(x);
            Tensor second = model.call(x);
            Assert.Equal(new long[] { 4, 10 }, first.shape);
            Assert.True(first.isfinite().all().item<bool>());
            Assert.True(first.allclose(second), "eval mode is deterministic");
        }
    }

    [Fact]
    public void A_mini_model_runs_in_float64_after_conversion()
    {
        manual_seed(3);
        using var model = ZooCatalog.Find("vit-mini").CreateModel();
        model.to(float64).eval();
        using var scope = NewDisposeScope();
        Tensor logits = model.call(rand(2, 1, 28, 28, dtype: float64));
        Assert.Equal(ScalarType.Float64, logits.dtype);
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
    }

    [Theory]
    [InlineData("vgg11")]
    [InlineData("resnet18")]
    [InlineData("densenet121")]
    [InlineData("vit-b-16")]
    public void Full_size_models_map_one_image_to_a_thousand_logits(string name)
    {
        manual_seed(11);
        using var model = ZooCatalog.Find(name).CreateModel();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor logits = model.call(rand(1, 3, 224, 224));
        Assert.Equal(new long[] { 1, 1000 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void The_catalog_lists_every_spec_and_rejects_unknown_names_with_the_list()
    {
        Assert.Equal(
            new[] { "densenet-mini", "densenet121", "resnet-mini", "resnet18", "resnet34", "vgg-mini", "vgg11", "vgg16", "vit-b-16", "vit-mini" },
            ZooCatalog.All.Select(s => s.Name));
        var error = Assert.Throws<UsageException>(() => ZooCatalog.Find("resnet50"));
        Assert.Equal("unknown spec 'resnet50'; known specs: densenet-mini, densenet121, resnet-mini, resnet18, resnet34, vgg-mini, vgg11, vgg16, vit-b-16, vit-mini.", error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void Descriptions_carry_the_declared_input_classes_and_normalisation()
    {
        foreach (IModelSpec spec in ZooCatalog.All)
        {
            bool mini = spec.Name.EndsWith("-mini", StringComparison.Ordinal);
            Assert.Equal(mini ? Shape.Image(1, 28, 28) : Shape.Image(3, 224, 224), spec.Description.Input);
            Assert.Equal(mini ? 10 : 1000, spec.Description.Classes);
            var normalize = Assert.IsType<Normalize>(spec.Description.Network.Layers[0]);
            Assert.Equal(mini ? new[] { 0.3530 } : new[] { 0.229, 0.224, 0.225 }, normalize.Std);
            Assert.Equal(Shape.Vector(spec.Description.Classes), spec.Description.Network.Output);
        }
    }
}

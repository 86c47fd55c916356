using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>The mini zoo: the instantiated compile-time bound holds at every evaluated input, node by node and end to end.</summary>
public sealed class ZooSoundnessTests
{
    private readonly ITestOutputHelper _output;

    public ZooSoundnessTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, bool> MiniZoo()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "vgg-mini", "resnet-mini", "densenet-mini", "vit-mini" })
        {
            data.Add(name, false);   // as initialised
            data.Add(name, true);    // trained-like statistics (BatchNorm, LayerNorm, attention biases, larger weights)
        }
        return data;
    }

    private static nn.Module<Tensor, Tensor> Model(IModelSpec spec, bool trainedLike)
    {
        TestTensors.Seed(91);
        nn.Module<Tensor, Tensor> model = spec.CreateModel();
        model.to(float64);
        if (trainedLike)
        {
            TrainedLike.Randomise(model, 92, 1.3);
        }
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(MiniZoo))]
    public void Bound_holds_at_every_input(string name, bool trainedLike)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        nn.Module<Tensor, Tensor> model = Model(spec, trainedLike);
        Tensor inputs = TestTensors.Pixels(93, 16, 1, 28, 28);

        FimMeasurement measured = FimMeasurer.Measure(model, inputs, FimMethod.Exact);
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, inputs);
        BoundCheck check = bound.Check(measured);

        _output.WriteLine($"{name}: max λ {measured.Summary.Max:G4}, global bound {bound.Global:G4} (slack {check.Slack:G3}), L {bound.Lipschitz:G4}");
        Assert.True(check.Holds, string.Join("; ", check.Violations.Select(v => $"input {v.Index}: {v.Bound} {v.BoundValue} < {v.Measured}")));
        Assert.All(measured.Samples, s => Assert.True(s.JacobianNorm <= bound.Lipschitz));
        Assert.Equal(spec.BoundText, bound.Symbolic.FimBound.ToText());
    }

    [Theory]
    [MemberData(nameof(MiniZoo))]
    public void Every_node_factor_bounds_its_jacobian_on_the_zoo_weights(string name, bool trainedLike)
    {
        IModelSpec spec = ZooCatalog.Find(name);
        ArchitectureDescription description = spec.Description;
        nn.Module<Tensor, Tensor> model = Model(spec, trainedLike);
        Tensor input = TestTensors.Pixels(94, 1, 1, 28, 28);

        // The description interpreted independently of the generator, with the zoo model's weights: same logits.
        var interpreted = new DescribedModel(description, seed: 0);
        interpreted.load_state_dict(model.state_dict());
        interpreted.eval();
        using (no_grad())
        {
            double difference = (interpreted.call(input) - model.call(input)).abs().max().item<double>();
            Assert.True(difference < 1e-9, $"the interpreted description and the generated model disagree by {difference}");
        }

        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, input);
        Layer[] nodes = description.AllLayers().ToArray();
        var trace = new List<(Layer Layer, Tensor Input)>();
        using (no_grad())
        {
            interpreted.Run(description.Network, input, trace);
        }
        int index = 0;
        var factorOf = new Dictionary<Layer, NumericFactor>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<NumericFactor> standalone = StandaloneFactors.Of(description, bound);
        foreach (Layer node in nodes)
        {
            factorOf[node] = standalone[index++];
        }
        double tightest = 0;
        var primitives = FoldedFactors.ByPath(description);
        var inputOf = FoldedFactors.InputsByPath(trace);
        foreach ((Layer layer, Tensor seen) in trace)
        {
            NumericFactor factor = factorOf[layer];
            if (FoldedFactors.Target(layer, factor, path => (primitives[path], factorOf[primitives[path]]), interpreted) is not { } target)
            {
                continue;   // a folded scale: checked with its map
            }
            (Func<Tensor, Tensor> map, double limit, string from) = target;
            Tensor activation = from == layer.Path ? seen : inputOf[from];
            double norm = KrylovJacobianNorm.Estimate(map, activation[0]);
            Assert.True(norm <= limit * (1 + 1e-9), $"{name}: {layer.Path} ({layer.Kind}) Jacobian norm {norm} above its factor {limit}");
            tightest = Math.Max(tightest, norm / limit);
        }
        _output.WriteLine($"{name}: {trace.Count} nodes checked, tightest measured/factor {tightest:F3}");
    }
}

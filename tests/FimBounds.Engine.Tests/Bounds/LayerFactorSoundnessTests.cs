using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// Every factor of the symbolic bound, evaluated with the weights, is at least the true local Jacobian
/// norm of its node — primitive layers and compositions alike, up to the whole network — at every
/// activation the node actually sees. (The end-to-end check alone would hide an unsound factor behind the
/// slack of the others.)
/// </summary>
public sealed class LayerFactorSoundnessTests
{
    private readonly ITestOutputHelper _output;

    public LayerFactorSoundnessTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Networks => new(TestNetworks.Names);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Each_layer_factor_bounds_the_layer_jacobian_at_the_activations_seen(string name)
    {
        ArchitectureDescription description = TestNetworks.Describe(name);
        var model = new DescribedModel(description, seed: 51, weightScale: 1.5);
        model.eval();
        Tensor inputs = TestTensors.Pixels(52, new[] { 3L }.Concat(description.Input.Dims.Select(d => (long)d)).ToArray());
        InstantiatedBound instantiated = BoundInstantiator.Instantiate(description, model, inputs);
        // The bound's factors follow the description's nodes depth-first, parent first.
        Layer[] nodes = description.AllLayers().ToArray();
        Assert.Equal(nodes.Length, instantiated.PerLayer.Count);
        var factors = new Dictionary<Layer, NumericFactor>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<NumericFactor> standalone = StandaloneFactors.Of(description, instantiated);
        for (int k = 0; k < nodes.Length; k++)
        {
            Assert.Equal(nodes[k].Path, instantiated.PerLayer[k].Path);
            factors[nodes[k]] = standalone[k];
        }

        var primitives = FoldedFactors.ByPath(description);
        int checkedLayers = 0;
        var tightness = new Dictionary<string, double>();
        for (int i = 0; i < inputs.shape[0]; i++)
        {
            var trace = new List<(Layer Layer, Tensor Input)>();
            using (no_grad())
            {
                model.Run(description.Network, inputs[i].unsqueeze(0), trace);
            }
            var inputOf = FoldedFactors.InputsByPath(trace);
            foreach ((Layer layer, Tensor input) in trace)
            {
                NumericFactor factor = factors[layer];
                if (FoldedFactors.Target(layer, factor, path => (primitives[path], factors[primitives[path]]), model) is not { } target)
                {
                    continue;   // a folded scale: checked with its map
                }
                (Func<Tensor, Tensor> map, double bound, string from) = target;
                Tensor seen = from == layer.Path ? input : inputOf[from];
                double actual = LayerJacobian.SpectralNorm(map, seen[0]);
                Assert.True(actual <= bound * (1 + 1e-9),
                    $"{name}: layer {layer.Path} ({layer.Kind}) has local Jacobian norm {actual} above its factor {bound} ({factor.Expression}; {factor.Rule})");
                Assert.True(factor.Attained <= factor.Value, $"{layer.Path}: attained {factor.Attained} above the certified {factor.Value}");
                tightness[layer.Kind] = Math.Max(tightness.GetValueOrDefault(layer.Kind), actual / bound);
                checkedLayers++;
            }
        }
        // Measured/bound per kind: how tight each factor is (1 = attained).
        _output.WriteLine(string.Join(", ", tightness.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value:F3}")));
        Assert.Equal(3 * (nodes.Length - FoldedFactors.FoldedScales(instantiated.PerLayer)), checkedLayers);
    }

    [Fact]
    public void Every_layer_kind_is_covered_by_the_test_networks()
    {
        var kinds = TestNetworks.Names.SelectMany(n => TestNetworks.Describe(n).AllLayers()).Select(l => l.GetType().Name).ToHashSet();
        string[] all = typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract).Select(t => t.Name).ToArray();
        Assert.Empty(all.Except(kinds));
        var activations = TestNetworks.Names.SelectMany(n => TestNetworks.Describe(n).AllLayers()).OfType<Activation>().Select(a => a.Function).ToHashSet();
        Assert.Equal(Enum.GetValues<ActivationFunction>().Length, activations.Count);
    }
}

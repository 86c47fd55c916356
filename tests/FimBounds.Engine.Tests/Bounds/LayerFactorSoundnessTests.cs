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
        for (int k = 0; k < nodes.Length; k++)
        {
            Assert.Equal(nodes[k].Path, instantiated.PerLayer[k].Path);
            factors[nodes[k]] = instantiated.PerLayer[k];
        }

        int checkedLayers = 0;
        var tightness = new Dictionary<string, double>();
        for (int i = 0; i < inputs.shape[0]; i++)
        {
            var trace = new List<(Layer Layer, Tensor Input)>();
            using (no_grad())
            {
                model.Run(description.Network, inputs[i].unsqueeze(0), trace);
            }
            foreach ((Layer layer, Tensor input) in trace)
            {
                NumericFactor factor = factors[layer];
                Func<Tensor, Tensor> map = x => model.Run(layer, x);
                double bound = factor.Value;
                if (factor.FoldedWith is { } partner)
                {
                    if (layer is BatchNorm2d)
                    {
                        continue;   // checked together with its convolution
                    }
                    // A convolution with its BatchNorm folded in: σ(folded)·1 bounds BN∘conv, the pair.
                    Layer bn = description.PrimitiveLayers().Single(l => l.Path == partner);
                    map = x => model.Run(bn, model.Run(layer, x));
                    bound *= factors[bn].Value;
                }
                double actual = LayerJacobian.SpectralNorm(map, input[0]);
                Assert.True(actual <= bound * (1 + 1e-9),
                    $"{name}: layer {layer.Path} ({layer.Kind}) has local Jacobian norm {actual} above its factor {bound} ({factor.Expression}; {factor.Rule})");
                Assert.True(factor.Attained <= factor.Value, $"{layer.Path}: attained {factor.Attained} above the certified {factor.Value}");
                tightness[layer.Kind] = Math.Max(tightness.GetValueOrDefault(layer.Kind), actual / bound);
                checkedLayers++;
            }
        }
        // Measured/bound per kind: how tight each factor is (1 = attained).
        _output.WriteLine(string.Join(", ", tightness.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value:F3}")));
        int foldedBatchNorms = instantiated.PerLayer.Count(f => f.Kind == "batchnorm2d" && f.FoldedWith is not null);
        Assert.Equal(3 * (nodes.Length - foldedBatchNorms), checkedLayers);
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

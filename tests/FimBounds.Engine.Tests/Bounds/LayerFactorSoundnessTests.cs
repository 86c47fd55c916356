using FimBounds.Core.Architecture;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// Every numeric factor of the composed bound is at least the true local Jacobian norm of its layer,
/// at every activation the layer actually sees. (The end-to-end check alone would hide an unsound factor
/// behind the slack of the others.)
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
        Tensor inputs = Torch.Pixels(52, new[] { 3L }.Concat(description.Input.Dims.Select(d => (long)d)).ToArray());
        InstantiatedBound instantiated = BoundInstantiator.Instantiate(description, model, inputs);
        var factors = instantiated.PerLayer.GroupBy(f => (f.Path, f.Kind)).ToDictionary(g => g.Key, g => g.First());

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
                Func<Tensor, Tensor>? map = null;
                string kind = layer.Kind;
                if (layer is Sequence step && description.AllLayers().OfType<DenseBlock>().Any(b => b.Steps.Contains(step)))
                {
                    kind = "densestep";
                    map = x => cat(new[] { x, model.Run(step, x) }, 1);
                }
                else if (layer is not Sequence)
                {
                    map = x => model.Run(layer, x);
                }
                if (map is null || !factors.TryGetValue((layer.Path, kind), out LayerFactor? factor))
                {
                    continue;
                }
                double bound = factor.Factor;
                if (factor.FoldedWith is { } partner)
                {
                    if (layer is BatchNorm2d)
                    {
                        continue;   // checked together with its convolution
                    }
                    // A convolution with its BatchNorm folded in: σ(folded)·1 bounds BN∘conv, the pair.
                    Layer bn = description.PrimitiveLayers().Single(l => l.Path == partner);
                    map = x => model.Run(bn, model.Run(layer, x));
                    bound *= factors[(partner, bn.Kind)].Factor;
                }
                double actual = LayerJacobian.SpectralNorm(map, input[0]);
                Assert.True(actual <= bound * (1 + 1e-9),
                    $"{name}: layer {layer.Path} ({kind}) has local Jacobian norm {actual} above its factor {bound} ({factor.Detail})");
                if (factor.Lower is { } lower)
                {
                    Assert.True(lower <= factor.Factor, $"{layer.Path}: attained norm {lower} above the certified {factor.Factor}");
                }
                tightness[kind] = Math.Max(tightness.GetValueOrDefault(kind), actual / bound);
                checkedLayers++;
            }
        }
        // Measured/bound per kind: how tight each factor is (1 = attained).
        _output.WriteLine(string.Join(", ", tightness.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value:F3}")));
        int foldedBatchNorms = instantiated.PerLayer.Count(f => f.Kind == "batchnorm2d" && f.FoldedWith is not null);
        Assert.True(checkedLayers >= 3 * (description.PrimitiveLayers().Count() - foldedBatchNorms), $"only {checkedLayers} layer evaluations");
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

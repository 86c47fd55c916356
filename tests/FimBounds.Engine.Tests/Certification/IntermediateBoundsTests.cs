using FimBounds.Torch;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// Full CROWN's intermediate bounds — every activation's input bounded by the backward pass through everything
/// before it — lie inside IBP's, are tighter somewhere, and contain every activation input the model itself
/// meets at random and corner points of the ball (read by hooks on its activation modules, independent of the
/// certifier's code).
/// </summary>
public sealed class IntermediateBoundsTests
{
    public static TheoryData<string, PerturbationNorm, double> Cases => new()
    {
        { "every-layer", PerturbationNorm.Linf, 0.02 },
        { "every-layer", PerturbationNorm.L2, 0.2 },
        { "residual", PerturbationNorm.Linf, 0.05 },
        { "dense", PerturbationNorm.Linf, 0.03 },
        { "dense", PerturbationNorm.L2, 0.3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Crown_intermediate_bounds_lie_inside_ibp_and_contain_every_value_met(string net, PerturbationNorm norm, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 11);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(12, new long[] { 1 }.Concat(shape).ToArray());
        IReadOnlyList<(Interval Ibp, Interval Crown)> layers = certifier.ActivationInputBounds(centre, norm, epsilon);
        IReadOnlyList<(double[] Low, double[] High)> met = ActivationInputRanges(model, cat(new[] { centre, BallSearch.Sample(centre, norm, epsilon, 512, seed: 13) }, 0));

        Assert.Equal(met.Count, layers.Count);
        double ibpWidth = 0, crownWidth = 0;
        for (int k = 0; k < layers.Count; k++)
        {
            (Interval ibp, Interval crown) = layers[k];
            Assert.True(crown.Lower.ge(ibp.Lower).all().item<bool>() && crown.Upper.le(ibp.Upper).all().item<bool>(), $"activation {k}: CROWN's bounds leave IBP's");
            Tensor low = tensor(met[k].Low, dtype: float64).reshape(crown.Lower.shape);
            Tensor high = tensor(met[k].High, dtype: float64).reshape(crown.Upper.shape);
            double below = crown.Lower.Minus(low).max().item<double>();
            double above = high.Minus(crown.Upper).max().item<double>();
            Assert.True(below <= 1e-9 && above <= 1e-9, $"activation {k}: a value met in the ball is {Math.Max(below, above)} outside CROWN's bounds");
            ibpWidth += ibp.Upper.Minus(ibp.Lower).sum().item<double>();
            crownWidth += crown.Upper.Minus(crown.Lower).sum().item<double>();
        }
        Assert.True(crownWidth < ibpWidth, $"CROWN's intermediate bounds (total width {crownWidth}) are no tighter than IBP's ({ibpWidth})");
    }

    /// <summary>
    /// Full CROWN starts from the forward linear bounds and intersects every activation's bounds with them: its bounds lie
    /// inside them (after a max-pool too, where its own backward passes alone can be the looser) and still contain every
    /// value the model meets. The control shrinks them by a tenth of their width: the same points must then escape, or the
    /// containment check could not catch an unsound intersection.
    /// </summary>
    [Theory]
    [InlineData("every-layer", 0.02)]
    [InlineData("residual", 0.05)]
    public void Full_crown_bounds_lie_inside_the_forward_linear_ones_and_an_unsound_shrink_is_caught(string net, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 11);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(12, new long[] { 1 }.Concat(shape).ToArray());
        IReadOnlyList<Interval> forward = certifier.ActivationInputBounds(centre, PerturbationNorm.Linf, epsilon, CertificationMethod.Crown);
        IReadOnlyList<Interval> full = certifier.ActivationInputBounds(centre, PerturbationNorm.Linf, epsilon, CertificationMethod.CrownFull);
        IReadOnlyList<(double[] Low, double[] High)> met = ActivationInputRanges(model, cat(new[] { centre, BallSearch.Sample(centre, PerturbationNorm.Linf, epsilon, 512, seed: 13) }, 0));

        double escapedFromShrunk = 0;
        for (int k = 0; k < full.Count; k++)
        {
            Assert.True(full[k].Lower.ge(forward[k].Lower).all().item<bool>() && full[k].Upper.le(forward[k].Upper).all().item<bool>(),
                $"activation {k}: full CROWN's bounds leave the forward linear ones");
            Tensor low = tensor(met[k].Low, dtype: float64).reshape(full[k].Lower.shape);
            Tensor high = tensor(met[k].High, dtype: float64).reshape(full[k].Upper.shape);
            Assert.True(Escape(full[k], low, high) <= 1e-9, $"activation {k}: a value met in the ball lies outside full CROWN's bounds");
            Tensor tenth = full[k].Upper.Minus(full[k].Lower).Times(0.1);
            escapedFromShrunk = Math.Max(escapedFromShrunk, Escape(new Interval(full[k].Lower.Plus(tenth), full[k].Upper.Minus(tenth)), low, high));
        }
        Assert.True(escapedFromShrunk > 1e-9, "bounds shrunk by a tenth of their width still contain every value met: the check is too weak");
    }

    private static double Escape(Interval bounds, Tensor low, Tensor high) =>
        Math.Max(bounds.Lower.Minus(low).max().item<double>(), high.Minus(bounds.Upper).max().item<double>());

    /// <summary>The smallest and largest input of every activation module's every neuron over a batch of points, in call order.</summary>
    private static IReadOnlyList<(double[] Low, double[] High)> ActivationInputRanges(nn.Module<Tensor, Tensor> model, Tensor points)
    {
        var seen = new List<(double[] Low, double[] High)>();
        var removers = new List<Action>();
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            if (module is ReLU or LeakyReLU or Tanh or Sigmoid)
            {
                removers.Add(((nn.Module<Tensor, Tensor>)module).register_forward_pre_hook((_, input) =>
                {
                    using var hookScope = NewDisposeScope();
                    Tensor flat = input.detach().flatten(1);
                    seen.Add((flat.amin(0).data<double>().ToArray(), flat.amax(0).data<double>().ToArray()));
                    return input;
                }).remove);
            }
        }
        using (no_grad())
        {
            model.call(points);
        }
        removers.ForEach(remove => remove());
        return seen;
    }
}

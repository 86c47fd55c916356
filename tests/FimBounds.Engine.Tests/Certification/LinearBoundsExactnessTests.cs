using FimBounds.Torch;
using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// On a ball so small that no ReLU changes state, the network is affine and the linear intermediate bounds must be its
/// exact ranges, 2·Σ_j |∂a_i/∂x_j|·r_j for every activation input a_i (r the box's half-widths), up to rounding. A wider
/// bound there is a relaxation applied where none is needed or a layer losing terms its branches share (a residual sum or
/// a concatenation bounded as intervals). IBP, which drops those terms by design, is the control: its widths exceed the
/// exact ones, so the comparison can fail. (Max-pools are left out: windows tied at the centre are relaxed at any ε.)
/// </summary>
public sealed class LinearBoundsExactnessTests
{
    private const double Epsilon = 1e-7;

    [Theory]
    [InlineData("residual", CertificationMethod.Crown)]
    [InlineData("residual", CertificationMethod.CrownFull)]
    [InlineData("dense", CertificationMethod.Crown)]
    [InlineData("dense", CertificationMethod.CrownFull)]
    public void Linear_intermediate_bounds_are_the_exact_ranges_where_no_relu_can_flip(string net, CertificationMethod method)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 17);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        using var scope = NewDisposeScope();
        Tensor centre = TestTensors.Pixels(18, new long[] { 1 }.Concat(shape).ToArray());
        Assert.All(certifier.RelaxedNeurons(centre, PerturbationNorm.Linf, Epsilon, method), layer => Assert.Equal(0, layer.Loose));

        IReadOnlyList<Interval> linear = certifier.ActivationInputBounds(centre, PerturbationNorm.Linf, Epsilon, method);
        IReadOnlyList<Interval> ibp = certifier.ActivationInputBounds(centre, PerturbationNorm.Linf, Epsilon, CertificationMethod.Ibp);
        IReadOnlyList<Tensor> exact = ExactWidths(model, centre);
        Assert.Equal(exact.Count, linear.Count);
        bool ibpLooser = false;
        for (int k = 0; k < exact.Count; k++)
        {
            double scale = exact[k].max().item<double>();
            double deviation = Width(linear[k]).Minus(exact[k]).abs().max().item<double>();
            Assert.True(deviation <= 1e-6 * scale, $"activation {k}: the linear bounds' widths differ from the exact ranges by {deviation / scale:E2} of the largest");
            ibpLooser |= Width(ibp[k]).Minus(exact[k]).max().item<double>() > 0.01 * scale;
        }
        Assert.True(ibpLooser, "IBP's widths equal the exact ranges everywhere: the comparison could not catch lost terms");
    }

    private static Tensor Width(Interval bounds) => bounds.Upper.Minus(bounds.Lower).flatten();

    /// <summary>
    /// Exact ranges over the box of every activation's inputs, from the model's own forward passes (hooks on its activation
    /// modules): central differences along every pixel are exact up to rounding where the model is affine.
    /// </summary>
    private static IReadOnlyList<Tensor> ExactWidths(nn.Module<Tensor, Tensor> model, Tensor centre)
    {
        long d = centre.numel();
        Tensor steps = eye(d, dtype: float64).reshape(new[] { d }.Concat(centre.shape.Skip(1)).ToArray()).Times(Epsilon);
        IReadOnlyList<Tensor> forward = ActivationInputs(model, centre.Plus(steps));
        IReadOnlyList<Tensor> backward = ActivationInputs(model, centre.Minus(steps));
        Tensor lower = centre.Plus(-Epsilon).ClampBelow(0).flatten();
        Tensor upper = centre.Plus(Epsilon).ClampAbove(1).flatten();
        Tensor boxWidths = upper.Minus(lower).unsqueeze(1);
        return forward.Zip(backward, (f, b) => f.Minus(b).DividedBy(2 * Epsilon).abs().mul(boxWidths).sum(new long[] { 0 })).ToList();
    }

    /// <summary>Every activation module's inputs [N, features] over a batch of points, in call order.</summary>
    private static IReadOnlyList<Tensor> ActivationInputs(nn.Module<Tensor, Tensor> model, Tensor points)
    {
        var seen = new List<(double[] Values, long[] Shape)>();
        var removers = new List<Action>();
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            if (module is ReLU)
            {
                removers.Add(((nn.Module<Tensor, Tensor>)module).register_forward_pre_hook((_, input) =>
                {
                    // The module's own dispose scope ends with its call: the values are copied out.
                    using var hookScope = NewDisposeScope();
                    Tensor flat = input.detach().flatten(1);
                    seen.Add((flat.contiguous().data<double>().ToArray(), flat.shape));
                    return input;
                }).remove);
            }
        }
        using (no_grad())
        {
            model.call(points);
        }
        removers.ForEach(remove => remove());
        return seen.Select(s => tensor(s.Values, dtype: float64).reshape(s.Shape)).ToList();
    }
}

using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using FimBounds.Nn.Modules;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// The certifier's savings (BatchNorms folded into convolutions, tap-by-tap convolutions, buffers reused between layers and
/// runs) change no bound beyond rounding and loosen none: every margin, logit bound, activation input bound and the local
/// FIM bound of <see cref="CertifierOptions.Default"/> against <see cref="CertifierOptions.Plain"/> on nets of every layer
/// kind, at sizes where the forward bounds are sliced and their buffers pooled.
/// </summary>
public sealed class CertifierSavingsTests
{
    /// <summary>Relative rounding allowance: the savings reorder float64 sums of at most a few thousand terms.</summary>
    private const double Rounding = 1e-9;

    public static TheoryData<string, PerturbationNorm, double> Cases => new()
    {
        { "every-layer", PerturbationNorm.Linf, 0.02 },
        { "every-layer", PerturbationNorm.L2, 0.3 },
        { "residual-28", PerturbationNorm.Linf, 0.01 },
        { "dense", PerturbationNorm.Linf, 0.03 },
        { "dense-28", PerturbationNorm.Linf, 0.004 },
        { "dense-28", PerturbationNorm.L2, 0.05 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Savings_leave_every_bound_as_it_was(string net, PerturbationNorm norm, double epsilon)
    {
        (nn.Module<Tensor, Tensor> model, long[] shape) = Create(net, 31);
        using var plain = Certifier.For(model, shape, CertifierOptions.Plain);
        using var saving = Certifier.For(model, shape, CertifierOptions.Default);
        using var scope = NewDisposeScope();
        for (int input = 0; input < 2; input++)
        {
            Tensor centre = TestTensors.Pixels(40 + input, new long[] { 1 }.Concat(shape).ToArray());
            foreach (CertificationMethod method in new[] { CertificationMethod.Ibp, CertificationMethod.CrownIbp, CertificationMethod.Crown })
            {
                string where = $"{net} input {input} {method}";
                AssertLowerBoundsEqual(plain.MarginLowerBounds(centre, norm, epsilon, method), saving.MarginLowerBounds(centre, norm, epsilon, method), $"{where} margins");
            }
            IReadOnlyList<Interval> before = plain.ActivationInputBounds(centre, norm, epsilon, CertificationMethod.Crown);
            IReadOnlyList<Interval> after = saving.ActivationInputBounds(centre, norm, epsilon, CertificationMethod.Crown);
            Assert.Equal(before.Count, after.Count);
            for (int layer = 0; layer < before.Count; layer++)
            {
                AssertLowerBoundsEqual(TestTensors.Data(before[layer].Lower), TestTensors.Data(after[layer].Lower), $"{net} input {input} activation {layer} lower");
                AssertLowerBoundsEqual(TestTensors.Data(after[layer].Upper), TestTensors.Data(before[layer].Upper), $"{net} input {input} activation {layer} upper");
            }
            if (!net.EndsWith("-28", StringComparison.Ordinal))
            {
                // The whole ball bound, Jacobian over the ball and mask expansion included (too slow at 28×28 for a unit test).
                BallBounds oldBall = plain.Bound(centre, norm, epsilon, CertificationMethod.Crown);
                BallBounds newBall = saving.Bound(centre, norm, epsilon, CertificationMethod.Crown);
                AssertLowerBoundsEqual(oldBall.LogitLower, newBall.LogitLower, $"{net} input {input} logit lower");
                AssertLowerBoundsEqual(newBall.LogitUpper, oldBall.LogitUpper, $"{net} input {input} logit upper");
                AssertLowerBoundsEqual(oldBall.DifferenceLowerBounds.Cast<double>().ToArray(), newBall.DifferenceLowerBounds.Cast<double>().ToArray(), $"{net} input {input} pairs");
                AssertLowerBoundsEqual([-oldBall.Fisher.Value], [-newBall.Fisher.Value], $"{net} input {input} local FIM bound");
            }
        }
    }

    /// <summary>Each of <paramref name="after"/> equals <paramref name="before"/> up to rounding; a lower bound must not drop (an upper one is passed negated or swapped).</summary>
    private static void AssertLowerBoundsEqual(double[] before, double[] after, string what)
    {
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            if (double.IsInfinity(before[i]) || double.IsInfinity(after[i]))
            {
                Assert.True(before[i] == after[i], $"{what} [{i}]: {before[i]} became {after[i]}");
                continue;
            }
            double allowance = Rounding * (1 + Math.Abs(before[i]));
            Assert.True(after[i] >= before[i] - allowance, $"{what} [{i}] loosened: {before[i]:R} became {after[i]:R}");
            Assert.True(Math.Abs(after[i] - before[i]) <= allowance, $"{what} [{i}] changed beyond rounding: {before[i]:R} became {after[i]:R}");
        }
    }

    /// <summary>The certification test nets, two of them at 28×28 so that the forward bounds exceed a slice and use the pool.</summary>
    private static (nn.Module<Tensor, Tensor> Model, long[] Shape) Create(string net, long seed) => net switch
    {
        "residual-28" => (CertificationNets.Create("residual", seed), new long[] { 1, 28, 28 }),
        "dense-28" => (WideDense(seed), new long[] { 1, 28, 28 }),
        _ => (CertificationNets.Create(net, seed), CertificationNets.InputShape(net)),
    };

    /// <summary>
    /// Dense layers with a convolution, BatchNorm and ReLU before the 3×3 convolution (folded, and wide enough for taps),
    /// and a BatchNorm after every concatenation (not foldable).
    /// </summary>
    private static nn.Module<Tensor, Tensor> WideDense(long seed)
    {
        TestTensors.Seed(seed);
        nn.Module<Tensor, Tensor> Layer(long channels) => nn.Sequential(
            ("norm1", nn.BatchNorm2d(channels)), ("relu1", nn.ReLU()), ("conv1", nn.Conv2d(channels, 8, 1, bias: false)),
            ("norm2", nn.BatchNorm2d(8)), ("relu2", nn.ReLU()), ("conv2", nn.Conv2d(8, 4, 3, padding: 1, bias: false)));
        nn.Module<Tensor, Tensor> model = new Chain(
            ChainItem.Layer("conv0", nn.Conv2d(1, 8, 3, padding: 1, bias: false)),
            ChainItem.Layer("norm0", nn.BatchNorm2d(8)),
            ChainItem.Layer("relu0", nn.ReLU()),
            ChainItem.Layer("pool0", nn.MaxPool2d(2)),
            ChainItem.Dense("layer1", Layer(8)),
            ChainItem.Dense("layer2", Layer(12)),
            ChainItem.Layer("norm5", nn.BatchNorm2d(16)),
            ChainItem.Layer("relu", nn.ReLU()),
            ChainItem.Layer("pool", nn.AdaptiveAvgPool2d(new long[] { 2, 2 })),
            ChainItem.Layer("flatten", nn.Flatten()),
            ChainItem.Layer("fc", nn.Linear(64, 5)));
        model = Nets.Scale(model.to(float64), 2.0);
        Nets.RandomiseBatchNorm(model, seed);
        model.eval();
        return model;
    }
}

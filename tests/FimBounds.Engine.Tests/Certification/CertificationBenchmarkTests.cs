using FimBounds.Engine.Benchmarks;
using FimBounds.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>bench's certification timing: every method timed per ε, the linear ones on the first few inputs only.</summary>
public sealed class CertificationBenchmarkTests
{
    [Fact]
    public void Crown_and_alpha_crown_are_timed_on_the_first_inputs_and_every_cost_is_positive()
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create("residual", 3);
        long[] shape = CertificationNets.InputShape("residual");
        Tensor inputs = TestTensors.Pixels(4, new long[] { 5 }.Concat(shape).ToArray());

        CertificationBench bench = CertificationBenchmark.Run("residual", model, inputs, new[] { 0.001, 0.01 }, rounds: 2, seed: 0);

        Assert.Null(bench.Unsupported);
        Assert.Equal(5, bench.Inputs);
        Assert.Equal(CertificationBenchmark.LinearInputs, bench.LinearInputs);
        Assert.Equal(2, bench.PerEpsilon.Count);
        Assert.All(bench.PerEpsilon, cost =>
        {
            Assert.True(cost.IbpMsPerInput > 0 && cost.CrownIbpMsPerInput > 0 && cost.CrownMsPerInput > 0 && cost.AlphaCrownMsPerInput > 0);
            Assert.InRange(cost.IbpCertified, 0, bench.Inputs);
            Assert.InRange(cost.CrownCertified, 0, bench.LinearInputs);
            Assert.InRange(cost.AlphaCrownCertified, 0, bench.LinearInputs);
            Assert.Equal(cost.CrownMsPerInput / bench.ExactMsPerInput, cost.CrownOverExact, 9);
        });
        // Interval bounds nest with the balls: a larger ball certifies no more inputs by IBP.
        Assert.True(bench.PerEpsilon[1].IbpCertified <= bench.PerEpsilon[0].IbpCertified);
    }
}

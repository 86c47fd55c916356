using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// The mask expansion streamed over many passes (a few rows each, sets split into slices) stays an upper bound of every
/// λ_max met in the ball, and is never below the expansion done in one pass (slices only loosen, by stacking norms).
/// </summary>
public sealed class MaskExpansionPassesTests
{
    [Theory]
    [InlineData("every-layer", 0.01)]
    [InlineData("residual", 0.02)]
    [InlineData("dense", 0.02)]
    public void Many_small_passes_stay_sound_and_never_beat_one_pass(string net, double epsilon)
    {
        nn.Module<Tensor, Tensor> model = CertificationNets.Create(net, 8);
        long[] shape = CertificationNets.InputShape(net);
        using var certifier = Certifier.For(model, shape);
        Tensor inputs = TestTensors.Pixels(9, new long[] { 2 }.Concat(shape).ToArray());
        for (int b = 0; b < inputs.shape[0]; b++)
        {
            using var scope = NewDisposeScope();
            Tensor centre = inputs[b].unsqueeze(0);
            certifier.ExpansionRowsPerPass = MaskExpansion.RowBudget;
            LocalFisherBound onePass = certifier.Bound(centre, PerturbationNorm.Linf, epsilon, CertificationMethod.Crown).Fisher;
            long startRows = 2 * (long)model.call(centre).shape[1];
            // Three injected rows per pass: every set of more than three entries is split over passes.
            certifier.ExpansionRowsPerPass = (int)startRows + 3;
            LocalFisherBound streamed = certifier.Bound(centre, PerturbationNorm.Linf, epsilon, CertificationMethod.Crown).Fisher;

            Assert.True(onePass.VaryingEntries > 6, $"input {b}: only {onePass.VaryingEntries} unstable entries, too few to split");
            Assert.Equal(onePass.VaryingEntries, streamed.VaryingEntries);
            double single = onePass.MaskExpansionValue!.Value;
            double many = streamed.MaskExpansionValue!.Value;
            Assert.True(many >= single * (1 - 1e-9), $"input {b}: streamed expansion {many} below the one-pass {single}");
            double largest = LocalFisherBoundTests.LargestLambdaFound(model, centre, PerturbationNorm.Linf, epsilon, seed: b);
            Assert.True(largest <= many, $"input {b}: λ_max reached {largest} in the ball, above the streamed expansion's {many}");
        }
    }

    [Fact]
    public void Stacked_block_norms_bound_the_whole_matrix_where_their_largest_does_not()
    {
        using var scope = NewDisposeScope();
        Tensor matrix = TestTensors.Pixels(12, 30, 20).Minus(0.5);
        double whole = linalg.matrix_norm(matrix, ord: 2).item<double>();
        double[] blocks = new[] { matrix.narrow(0, 0, 10), matrix.narrow(0, 10, 12), matrix.narrow(0, 22, 8) }
            .Select(block => linalg.matrix_norm(block, ord: 2).item<double>()).ToArray();

        Assert.True(MaskExpansion.Stacked(blocks) >= whole, $"stacked {MaskExpansion.Stacked(blocks)} below ‖M‖ = {whole}");
        // Negative control: the largest block norm, a tempting shortcut, misses the whole norm.
        Assert.True(blocks.Max() < whole, $"the largest block norm {blocks.Max()} already bounds ‖M‖ = {whole}");
        Assert.Equal(blocks[0], MaskExpansion.Stacked(new[] { blocks[0] }));
    }
}

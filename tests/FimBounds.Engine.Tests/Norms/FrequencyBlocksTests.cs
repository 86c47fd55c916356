using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>
/// The blocks the torus certificate tests, formed a block at a time or all in one chunk: both give each
/// frequency's own D(ω)D(ω)* — checked against blocks built directly from the kernel taps — and a Cholesky test
/// fails exactly above a block's top.
/// </summary>
public sealed class FrequencyBlocksTests
{
    private const int Rows = 6, Columns = 9, TorusHeight = 7, TorusWidth = 8;

    [Theory]
    [InlineData(1L)]
    [InlineData(FrequencyBlocks.ChunkBytes)]
    public void Exact_tops_are_those_of_the_blocks_built_from_the_kernel(long chunkBytes)
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] truth) = Setup();
        using var gram = new BlockSymbolGram(taps);
        var blocks = new FrequencyBlocks(gram, angles, chunkBytes);

        double[] tops = blocks.ExactTops(null).data<double>().ToArray();
        double[] some = blocks.ExactTops(Positions(4, 0, 9)).data<double>().ToArray();

        for (int f = 0; f < truth.Length; f++)
        {
            Assert.True(Math.Abs(tops[f] - truth[f]) <= 1e-12 * truth[f], $"frequency {f}: top {tops[f]} is not the block's λ_max {truth[f]}");
        }
        // A subset's blocks are formed by smaller products: the same values up to rounding.
        Assert.All(new[] { (4, 0), (0, 1), (9, 2) }, p => Assert.True(Math.Abs(some[p.Item2] - tops[p.Item1]) <= 1e-12 * tops[p.Item1]));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(FrequencyBlocks.ChunkBytes)]
    public void Cholesky_test_fails_exactly_for_the_blocks_above_the_level(long chunkBytes)
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] truth) = Setup();
        using var gram = new BlockSymbolGram(taps);
        var blocks = new FrequencyBlocks(gram, angles, chunkBytes);
        double level = truth.OrderBy(t => t).ElementAt(truth.Length / 2);

        bool[] above = blocks.NotBelow(null, level).data<bool>().ToArray();
        bool[] again = blocks.NotBelow(null, level).data<bool>().ToArray();
        double[] tops = blocks.ExactTops(null).data<double>().ToArray();

        for (int f = 0; f < truth.Length; f++)
        {
            if (Math.Abs(truth[f] - level) > 1e-9 * level)
            {
                Assert.True(above[f] == truth[f] > level, $"frequency {f}: λ_max {truth[f]}, level {level}, test said above = {above[f]}");
            }
            // A level below a block's top must never pass: the negative control of the certificate itself.
            Assert.True(blocks.NotBelow(Positions(f), truth[f] * (1 - 1e-6)).data<bool>()[0], $"frequency {f} passed below its λ_max");
            Assert.True(!blocks.NotBelow(Positions(f), truth[f] * (1 + 1e-9)).data<bool>()[0], $"frequency {f} failed above its λ_max");
            Assert.True(Math.Abs(tops[f] - truth[f]) <= 1e-12 * truth[f], $"frequency {f}: top {tops[f]} after the tests is not λ_max {truth[f]}");
        }
        Assert.Equal(above, again);
    }

    [Fact]
    public void Ritz_values_never_exceed_the_tops_and_reach_them_on_a_full_Krylov_space()
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] truth) = Setup();
        using var gram = new BlockSymbolGram(taps);
        var blocks = new FrequencyBlocks(gram, angles);

        double[] few = blocks.TopRitzValues(null, 2).data<double>().ToArray();
        double[] full = blocks.TopRitzValues(null, Rows).data<double>().ToArray();

        for (int f = 0; f < truth.Length; f++)
        {
            Assert.True(few[f] <= truth[f] * (1 + 1e-12), $"frequency {f}: Ritz value {few[f]} above λ_max {truth[f]}");
            Assert.True(Math.Abs(full[f] - truth[f]) <= 1e-10 * truth[f], $"frequency {f}: full-space Ritz value {full[f]} is not λ_max {truth[f]}");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 2)]
    public void Blocks_of_any_tap_shape_are_Hermitian_with_the_tops_of_the_kernel_blocks(int tapRows, int tapColumns)
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] truth) = Setup(tapRows, tapColumns);
        using var gram = new BlockSymbolGram(taps);

        Tensor blocks = gram.NegatedBlocksAt(angles);
        double[] tops = new FrequencyBlocks(gram, angles).ExactTops(null).data<double>().ToArray();

        // Hermitian up to rounding (the certificate reads one triangle; the Ritz values read both).
        double asymmetry = blocks.Minus(blocks.conj().transpose(1, 2)).abs().max().item<double>();
        Assert.True(asymmetry <= 1e-13 * blocks.abs().max().item<double>(), $"a formed block is not Hermitian: |B − B*| up to {asymmetry}");
        for (int f = 0; f < truth.Length; f++)
        {
            Assert.True(Math.Abs(tops[f] - truth[f]) <= 1e-12 * truth[f], $"taps {tapRows}×{tapColumns}, frequency {f}: top {tops[f]} is not the block's λ_max {truth[f]}");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    public void Squared_Frobenius_norms_without_the_blocks_are_those_of_the_formed_blocks(int tapRows, int tapColumns)
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] _) = Setup(tapRows, tapColumns);
        using var gram = new BlockSymbolGram(taps);

        double[] ranked = gram.SquaredFrobeniusAt(angles).data<double>().ToArray();
        Tensor blocks = gram.NegatedBlocksAt(angles);
        Tensor magnitude = blocks.abs();
        double[] formed = magnitude.mul(magnitude).sum(new long[] { 1, 2 }).data<double>().ToArray();

        for (int f = 0; f < formed.Length; f++)
        {
            Assert.True(Math.Abs(ranked[f] - formed[f]) <= 1e-12 * formed[f], $"taps {tapRows}×{tapColumns}, frequency {f}: {ranked[f]} is not ‖block‖_F² {formed[f]}");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void Single_precision_blocks_lie_within_their_stated_forming_error_of_the_double_ones(int tapRows, int tapColumns)
    {
        using var scope = NewDisposeScope();
        (Tensor taps, Tensor angles, double[] _) = Setup(tapRows, tapColumns);
        using var gram = new BlockSymbolGram(taps);

        (Tensor single, double error) = gram.NegatedSingleBlocksAt(angles);
        Tensor difference = single.to(complex128).Minus(gram.NegatedBlocksAt(angles));
        double distance = linalg.matrix_norm(difference, ord: 2).max().item<double>();
        double scale = linalg.matrix_norm(gram.NegatedBlocksAt(angles), ord: 2).max().item<double>();

        Assert.True(distance <= error, $"taps {tapRows}×{tapColumns}: single-precision blocks lie {distance} from the double ones, beyond the stated {error}");
        // The bound is a rounding bound, not a blanket: a few hundred units of float32 rounding at most, relative to the blocks.
        Assert.True(error <= 1e-4 * scale, $"taps {tapRows}×{tapColumns}: forming error {error} is not small against the blocks' norm {scale}");
        Assert.True(distance > 0, "the single-precision blocks equal the double ones: the test would not see a missing error term");
    }

    /// <summary>Random taps [qh, qw, r, c], the torus's representative frequencies, and each one's λ_max(D D*) from D(ω) = Σ_a X_a e^{−iω·a} itself.</summary>
    private static (Tensor Taps, Tensor Angles, double[] Truth) Setup(int tapRows = 3, int tapColumns = 3)
    {
        using var generator = new Generator(17);
        Tensor taps = randn(new long[] { tapRows, tapColumns, Rows, Columns }, dtype: float64, generator: generator);
        Tensor angles = TorusFrequencies.Representatives(TorusHeight, TorusWidth);
        var truth = new double[angles.shape[0]];
        for (int f = 0; f < truth.Length; f++)
        {
            using var inner = NewDisposeScope();
            double wh = angles[f, 0].item<double>(), ww = angles[f, 1].item<double>();
            Tensor d = zeros(new long[] { Rows, Columns }, dtype: complex128);
            for (int ah = 0; ah < tapRows; ah++)
            {
                for (int aw = 0; aw < tapColumns; aw++)
                {
                    double phase = -(wh * ah + ww * aw);
                    d = d.Plus(taps[ah, aw].to(complex128).mul(complex(tensor(Math.Cos(phase), dtype: float64), tensor(Math.Sin(phase), dtype: float64))));
                }
            }
            truth[f] = linalg.eigvalsh(d.matmul(d.conj().t()))[-1].item<double>();
        }
        return (taps, angles, truth);
    }

    private static Tensor Positions(params long[] positions) => tensor(positions, dtype: ScalarType.Int64);
}

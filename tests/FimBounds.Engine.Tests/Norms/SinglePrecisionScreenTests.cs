using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>
/// The single-precision screen certifies a block only when its top is at most the target — checked against exact
/// eigenvalues, on blocks whose tops lie a hair above the target where a plain complex64 factorisation is fooled —
/// and certifies the blocks that lie clearly below it, or it would not pay.
/// </summary>
public sealed class SinglePrecisionScreenTests
{
    private const double Target = 3.0;

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(200)]
    public void Certified_blocks_are_below_the_target_and_blocks_clearly_below_it_are_certified(int rows)
    {
        using var scope = NewDisposeScope();
        // Tops from 20 % below the target to 1 % above it, the rest of each spectrum spread below its top.
        double[] tops = Enumerable.Range(0, 24).Select(i => Target * (0.8 + 0.21 * i / 23)).ToArray();
        Tensor negated = Blocks(rows, tops, seed: rows).neg();

        bool[] certified = new SinglePrecisionScreen(rows, Target).CertifiedBelow(negated).data<bool>().ToArray();

        double[] exact = linalg.eigvalsh(negated.neg()).select(1, -1).data<double>().ToArray();
        double margin = 4.0 * (rows + 2) * rows / (1 << 24);   // γ·n: the most single precision can need
        for (int b = 0; b < tops.Length; b++)
        {
            Assert.True(!certified[b] || exact[b] <= Target, $"{rows} rows: a block with λ_max {exact[b]} was certified below {Target}");
            if (exact[b] <= Target * (1 - 2 * margin))
            {
                Assert.True(certified[b], $"{rows} rows: λ_max {exact[b]} lies {1 - exact[b] / Target:P3} below the target and was not certified");
            }
        }
    }

    [Fact]
    public void Tops_a_hair_above_the_target_are_never_certified_where_a_plain_single_precision_factorisation_passes()
    {
        using var scope = NewDisposeScope();
        const int rows = 64;
        double[] excess = { 1e-9, 1e-8, 3e-8, 1e-7, 3e-7, 1e-6, 1e-5 };
        double[] tops = excess.SelectMany(e => Enumerable.Repeat(Target * (1 + e), 4)).ToArray();
        Tensor negated = Blocks(rows, tops, seed: 5, spread: 1e-3).neg();

        bool[] certified = new SinglePrecisionScreen(rows, Target).CertifiedBelow(negated).data<bool>().ToArray();

        // The negative control: complex64 at the target itself, no margin, calls some of these indefinite blocks definite.
        Tensor plain = negated.to(complex64);
        using var level = Target.ToScalar();
        plain.diagonal(0, 1, 2).add_(level);
        long fooled = linalg.cholesky_ex(plain).info.eq(Scalars.Zero).sum().item<long>();
        Assert.True(fooled > 0, "no block fooled a plain single-precision factorisation: the test would not see a missing margin");
        Assert.DoesNotContain(true, certified);
    }

    [Fact]
    public void Blocks_larger_than_the_margin_limit_and_chunks_it_cannot_pay_for_are_left_to_double_precision()
    {
        using var scope = NewDisposeScope();
        Tensor large = Blocks(320, new[] { Target * 0.5 }, seed: 3).neg();
        Assert.DoesNotContain(true, new SinglePrecisionScreen(320, Target).CertifiedBelow(large).data<bool>().ToArray());

        // A chunk of tops above the target stops the screen: the next chunk, all clearly below, is not screened.
        var screen = new SinglePrecisionScreen(16, Target);
        Tensor above = Blocks(16, new[] { Target * 1.1, Target * 1.2, Target * 0.5 }, seed: 4).neg();
        Tensor below = Blocks(16, new[] { Target * 0.5, Target * 0.6 }, seed: 6).neg();
        Assert.Equal(new[] { false, false, true }, screen.CertifiedBelow(above).data<bool>().ToArray());
        Assert.Equal(new[] { false, false }, screen.CertifiedBelow(below).data<bool>().ToArray());
        Assert.Equal(new[] { true, true }, new SinglePrecisionScreen(16, Target).CertifiedBelow(below).data<bool>().ToArray());
    }

    /// <summary>
    /// Hermitian PSD blocks [B, n, n] complex128 with the given tops: Q diag(λ) Q* for a random unitary Q, λ₁ the top and
    /// the others uniform in [0, top·(1 − <paramref name="spread"/>)].
    /// </summary>
    private static Tensor Blocks(int rows, double[] tops, long seed, double spread = 0.5)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var blocks = new List<Tensor>();
        foreach (double top in tops)
        {
            Tensor gaussian = complex(randn(new long[] { rows, rows }, dtype: float64, generator: generator), randn(new long[] { rows, rows }, dtype: float64, generator: generator));
            (Tensor q, Tensor _) = linalg.qr(gaussian);
            Tensor rest = rand(new long[] { rows - 1 }, dtype: float64, generator: generator).Times(top * (1 - spread));
            Tensor spectrum = cat(new[] { tensor(new[] { top }, dtype: float64), rest }).to(complex128);
            Tensor block = q.mul(spectrum.unsqueeze(0)).matmul(q.conj().t());
            blocks.Add(block.Plus(block.conj().t()).DividedBy(2));   // exactly Hermitian
        }
        return stack(blocks).MoveToOuterDisposeScope();
    }
}

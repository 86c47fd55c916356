using FimBounds.Data;
using FimBounds.Training.Study;
using MathNet.Numerics.Statistics;

namespace FimBounds.Training.Tests.Study;

public sealed class RankCorrelationTests
{
    [Fact]
    public void Average_ranks_share_positions_among_ties()
    {
        Assert.Equal(new[] { 2.5, 1.0, 2.5, 4.0 }, RankCorrelation.AverageRanks([5, 1, 5, 9]));
        Assert.Equal(new[] { 1.0, 4.0, 2.0, 3.0 }, RankCorrelation.AverageRanks([0, double.PositiveInfinity, 1, 2]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Spearman_agrees_with_MathNet_with_and_without_ties(int seed)
    {
        var random = new DeterministicRandom(seed);
        // Seed 0: continuous values (no ties); seeds 1, 2: small integers (many ties).
        double[] x = Enumerable.Range(0, 40).Select(_ => seed == 0 ? random.NextDouble() : random.NextInt(6)).ToArray();
        double[] y = x.Select(v => v + (seed == 0 ? random.NextDouble() : random.NextInt(4))).ToArray();

        double ours = RankCorrelation.Spearman(x, y)!.Value;

        Assert.Equal(Correlation.Spearman(x, y), ours, 12);
    }

    [Fact]
    public void Kendall_tau_b_without_ties_by_hand()
    {
        // x = 1…5, y = 3 1 2 5 4. Of the 10 pairs, discordant: (1,2) (1,3) (4,5) → C = 7, D = 3, τ = 4/10.
        double tau = RankCorrelation.KendallTauB([1, 2, 3, 4, 5], [3, 1, 2, 5, 4])!.Value;

        Assert.Equal(0.4, tau, 14);
    }

    [Fact]
    public void Kendall_tau_b_with_ties_by_hand()
    {
        // x = 1 1 2 3, y = 1 2 2 3: pairs (i<j)
        //   (1,2): x tie            (1,3): + +  C   (1,4): + +  C
        //   (2,3): y tie            (2,4): + +  C   (3,4): + +  C
        // C = 4, D = 0, P = 6, Tx = 1, Ty = 1 → τ-b = 4 / √(5·5) = 0.8.
        double tau = RankCorrelation.KendallTauB([1, 1, 2, 3], [1, 2, 2, 3])!.Value;

        Assert.Equal(0.8, tau, 14);
    }

    [Fact]
    public void Kendall_of_a_reversed_order_is_minus_one_and_spearman_too()
    {
        double[] x = [0.1, 0.5, 0.7, 3, 10];
        double[] y = [9, 8, 7, 1, 0.5];

        Assert.Equal(-1.0, RankCorrelation.KendallTauB(x, y));
        Assert.Equal(-1.0, RankCorrelation.Spearman(x, y));
    }

    [Fact]
    public void Undefined_cases_are_null_and_nan_is_refused()
    {
        Assert.Null(RankCorrelation.Spearman([1, 2, 3], [4, 4, 4]));
        Assert.Null(RankCorrelation.KendallTauB([1, 2, 3], [4, 4, 4]));
        Assert.Null(RankCorrelation.Spearman([1], [2]));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman([1, double.NaN], [1, 2]));
        Assert.Throws<ArgumentException>(() => RankCorrelation.KendallTauB([1, 2], [1]));
    }
}

using FimBounds.Reports.Statistics;

namespace FimBounds.Reports.Tests.Statistics;

/// <summary>Rank statistics against values worked out by hand (see the comments).</summary>
public sealed class RankCorrelationTests
{
    [Fact]
    public void Fractional_ranks_share_the_mean_position_among_ties()
    {
        Assert.Equal([3.0, 1.0, 3.0, 3.0, 5.0], RankCorrelation.FractionalRanks([7, 1, 7, 7, 9]));
        Assert.Equal([1.5, 1.5, 3.0], RankCorrelation.FractionalRanks([2, 2, 5]));
    }

    [Fact]
    public void Spearman_with_a_tie_in_y()
    {
        // ranks y = [1, 2, 3.5, 5, 3.5]; centred x·y sums to 8, Σx² = 10, Σy² = 9.5 → ρ = 8/√95.
        double? rho = RankCorrelation.Spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
        Assert.Equal(0.8207826816681233, rho!.Value, 12);
    }

    [Fact]
    public void Kendall_tau_b_with_a_tie_in_y()
    {
        // 8 concordant, 1 discordant, 1 pair tied in y: τ-b = 7 / √(10 · 9).
        double? tau = RankCorrelation.KendallTauB([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
        Assert.Equal(0.7378647873726218, tau!.Value, 12);
    }

    [Fact]
    public void Ties_in_both_variables()
    {
        // x = [1,1,2,3], y = [1,2,2,3]: S = 4, one tie in each → τ-b = 4/5; Spearman 3.75/4.5.
        Assert.Equal(0.8, RankCorrelation.KendallTauB([1, 1, 2, 3], [1, 2, 2, 3])!.Value, 12);
        Assert.Equal(3.75 / 4.5, RankCorrelation.Spearman([1, 1, 2, 3], [1, 2, 2, 3])!.Value, 12);
    }

    [Fact]
    public void Perfect_agreement_and_reversal()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman([1, 2, 3], [10, 20, 30]));
        Assert.Equal(1.0, RankCorrelation.KendallTauB([1, 2, 3], [10, 20, 30]));
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]));
        Assert.Equal(-1.0, RankCorrelation.KendallTauB([1, 2, 3, 4], [4, 3, 2, 1]));
    }

    [Fact]
    public void Undefined_when_constant_or_too_short()
    {
        Assert.Null(RankCorrelation.Spearman([1, 2, 3], [5, 5, 5]));
        Assert.Null(RankCorrelation.KendallTauB([1, 2, 3], [5, 5, 5]));
        Assert.Null(RankCorrelation.Spearman([1], [2]));
        Assert.Null(RankCorrelation.KendallTauB([1], [2]));
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman([1, 2], [1, 2, 3]));
    }
}

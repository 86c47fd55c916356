using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>The ranking that picks which pending frequencies get full Krylov runs: best first, never the same twice while others are left.</summary>
public sealed class FrequencyRankingTests
{
    [Fact]
    public void Takes_the_best_unrefined_positions_and_keeps_the_marks_through_reranking_and_filtering()
    {
        using var scope = NewDisposeScope();
        var ranking = new FrequencyRanking(tensor(new[] { 1.0, 5.0, 3.0, 4.0, 2.0 }, dtype: float64));

        Assert.Equal(new long[] { 1, 3 }, Sorted(ranking.TakeBest(2)));
        Assert.Equal(new long[] { 2, 4 }, Sorted(ranking.TakeBest(2)));

        ranking.Rerank(tensor(new[] { 9.0, 8.0, 7.0, 6.0, 0.5 }, dtype: float64));   // positions 1–4 are refined: 0 comes first
        Assert.Equal(new long[] { 0 }, Sorted(ranking.TakeBest(1)));

        ranking.Keep(tensor(new long[] { 3, 4 }));                                      // both refined: the best of them is taken again
        Assert.Equal(new long[] { 0 }, Sorted(ranking.TakeBest(1)));
    }

    private static long[] Sorted(Tensor positions) => positions.data<long>().ToArray().Order().ToArray();
}

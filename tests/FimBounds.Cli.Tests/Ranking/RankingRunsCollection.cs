namespace FimBounds.Cli.Tests.Ranking;

/// <summary>
/// Ranking runs share libtorch's global state (the manual seed's generator, the thread count), so they
/// run one after another: a parallel run would draw from the same generator and break the snapshots.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RankingRunsCollection
{
    public const string Name = "ranking runs (libtorch global state)";
}

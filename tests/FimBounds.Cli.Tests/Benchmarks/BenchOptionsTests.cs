using FimBounds.Cli.Commands;
using FimBounds.Study.Benchmarks;

namespace FimBounds.Cli.Tests.Benchmarks;

/// <summary>`bench`'s skip options reach the workflow's settings, each switching off its own stage only.</summary>
public sealed class BenchOptionsTests
{
    [Fact]
    public void By_default_every_stage_runs()
    {
        BenchSettings settings = Parse();

        Assert.True(settings.Training && settings.FullSize && settings.Peers && settings.Certification);
    }

    [Fact]
    public void Skip_certification_leaves_the_peers_and_the_full_size_target_in()
    {
        BenchSettings settings = Parse("--skip-training", "--skip-certification");

        Assert.False(settings.Certification);
        Assert.False(settings.Training);
        Assert.True(settings.Peers);
        Assert.True(settings.FullSize);
    }

    private static BenchSettings Parse(params string[] arguments) => BenchCommand.Settings(BenchCommand.Create().Parse(arguments));
}

using System.Text.Json;
using FimBounds.Cli.Tests.Interop;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>`demo --specs X.dll` runs the demo's workflow on every spec of the user's assembly instead of the mini zoo.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class DemoSpecsTests : IDisposable
{
    private readonly string _root = SmallRun.TempDirectory("demo-specs");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Demo_with_specs_ranks_the_assemblys_specs_instead_of_the_mini_zoo()
    {
        string output = Path.Combine(_root, "out");

        var demo = SmallRun.Cli(["demo", "--specs", LeNetSpecs.Assembly(), "--checkpoints", _root, "--out", output, .. SmallRun.BudgetArgs]);

        Assert.True(demo.Code == 0, demo.Err + demo.Out);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(
            new[] { "lenet5-tanh/pgd-trained", "lenet5-tanh/standard", "lenet5/pgd-trained", "lenet5/standard" },
            report.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }
}

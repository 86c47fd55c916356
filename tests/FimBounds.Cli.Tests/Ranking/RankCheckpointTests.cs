using System.Text.Json;
using FimBounds.Cli.Tests.Interop;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>
/// A .ckpt item in rank's --specs list — weights imported from PyTorch or trained elsewhere — is ranked as
/// it is, beside the specs the study trains: measured, bounded and attacked, never trained or cached.
/// </summary>
[Collection(RankingRunsCollection.Name)]
public sealed class RankCheckpointTests : IDisposable
{
    private readonly string _root = SmallRun.TempDirectory("rank-checkpoint");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_checkpoint_item_is_ranked_as_it_is_beside_the_trained_specs()
    {
        string lenet = LeNetSpecs.Assembly();
        string checkpoint = Path.Combine(_root, "my-lenet5.ckpt");
        var train = SmallRun.Cli("train", "lenet5", "--specs", lenet, "--epochs", "1", "--samples", "300", "--threads", "1", "--out", checkpoint);
        Assert.True(train.Code == 0, train.Err);
        string cache = Path.Combine(_root, "cache");
        Directory.CreateDirectory(cache);
        string output = Path.Combine(_root, "out");

        var rank = SmallRun.Cli(["rank", "--specs", $"{lenet},{checkpoint}", "--checkpoints", cache, "--out", output, .. SmallRun.BudgetArgs]);

        Assert.True(rank.Code == 0, rank.Err + rank.Out);
        Assert.Contains("[5/5] lenet5 (checkpoint)", rank.Out);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var models = report.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(
            new[] { "lenet5-tanh/pgd-trained", "lenet5-tanh/standard", "lenet5/checkpoint", "lenet5/pgd-trained", "lenet5/standard" },
            models.Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        JsonElement given = models.Single(m => m.GetProperty("id").GetString() == "lenet5/checkpoint");
        Assert.Equal("lenet5 (checkpoint)", given.GetProperty("label").GetString());
        Assert.Equal("checkpoint", given.GetProperty("variant").GetString());
        Assert.Contains(report.RootElement.GetProperty("run").GetProperty("notes").EnumerateArray(),
            n => n.GetString()!.StartsWith("lenet5 (checkpoint): the weights of my-lenet5.ckpt (lenet5, standard, 1 epochs on 300 samples", StringComparison.Ordinal));
        // The study trained and cached the four spec variants; the given checkpoint was neither trained nor copied.
        Assert.Equal(4, Directory.GetFiles(cache, "*", SearchOption.AllDirectories).Count(f => f.EndsWith(".ckpt", StringComparison.Ordinal)));
    }
}

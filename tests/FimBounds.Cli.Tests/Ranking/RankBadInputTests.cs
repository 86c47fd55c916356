using FimBounds.Data;
using FimBounds.Reports.Model;
using FimBounds.Study.Models;
using FimBounds.Study.Ranking;
using FimBounds.Zoo;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>`rank` refuses bad input with the documented exit codes and a message naming the fix, before any training.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class RankBadInputTests
{
    [Fact]
    public void An_unknown_spec_exits_2_and_lists_the_known_names()
    {
        var (code, _, error) = SmallRun.Cli("rank", "--specs", "vgg-mini,resnet50");
        Assert.Equal(2, code);
        Assert.Contains("resnet50", error);
        Assert.Contains("vgg-mini", error);
        Assert.Contains("vit-mini", error);
    }

    [Fact]
    public void A_missing_checkpoint_directory_exits_1_naming_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"fimbounds-missing-{Guid.NewGuid():N}");
        var (code, _, error) = SmallRun.Cli(["rank", "--specs", "vgg-mini", "--checkpoints", missing, "--out", Path.Combine(missing, "out"), .. SmallRun.BudgetArgs]);
        Assert.Equal(1, code);
        Assert.Contains(missing, error);
        Assert.Contains("does not exist", error);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void A_checkpoint_path_that_is_a_file_exits_1()
    {
        string root = SmallRun.TempDirectory("ckpt-file");
        string file = Path.Combine(root, "not-a-directory");
        File.WriteAllText(file, "x");
        var (code, _, error) = SmallRun.Cli(["rank", "--specs", "vgg-mini", "--checkpoints", file, "--out", Path.Combine(root, "out"), .. SmallRun.BudgetArgs]);
        Assert.Equal(1, code);
        Assert.Contains("is a file", error);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void A_corrupt_cached_checkpoint_exits_1_naming_the_file_and_leaves_no_report()
    {
        string root = SmallRun.TempDirectory("corrupt");
        string checkpoints = Path.Combine(root, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        string outDir = Path.Combine(root, "out");
        RankOptions options = SmallRun.Options(checkpoints, outDir) with { Specs = ["vgg-mini"] };
        var (train, _) = FashionMnist.LoadEmbedded();
        string path = CheckpointCache.Open(checkpoints, mustExist: true)
            .PathFor(ZooCatalog.Find("vgg-mini"), train, ModelEvaluator.TrainingFor(options, ModelVariant.Standard));
        File.WriteAllBytes(path, "FIMBCKPT but then garbage"u8.ToArray());

        var (code, _, error) = SmallRun.Cli(["rank", "--specs", "vgg-mini", "--checkpoints", checkpoints, "--out", outDir, .. SmallRun.BudgetArgs]);
        Assert.Equal(1, code);
        Assert.Contains(path, error);
        Assert.Contains("damaged", error);
        Assert.False(Directory.Exists(outDir));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void An_unwritable_out_exits_1_before_any_work()
    {
        string root = SmallRun.TempDirectory("unwritable");
        string file = Path.Combine(root, "somefile");
        File.WriteAllText(file, "x");
        string checkpoints = Path.Combine(root, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        var (code, _, error) = SmallRun.Cli(["rank", "--specs", "vgg-mini", "--checkpoints", checkpoints, "--out", Path.Combine(file, "sub"), .. SmallRun.BudgetArgs]);
        Assert.Equal(1, code);
        Assert.Contains("--out", error);
        Assert.Contains("is a file", error);
        Assert.Empty(Directory.GetFiles(checkpoints));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Bad_budgets_are_usage_errors()
    {
        var (code, _, error) = SmallRun.Cli("rank", "--specs", "vgg-mini", "--samples", "1");
        Assert.Equal(2, code);
        Assert.Contains("--samples", error);
    }
}

using System.Text.RegularExpressions;
using FimBounds.Cli.Tests.Ranking;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests.Training;

/// <summary>`fimbounds train`: a checkpoint with its metadata, progress per epoch, clear errors for bad options.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class TrainCommandTests(TrainedCheckpointFixture trained) : IClassFixture<TrainedCheckpointFixture>
{
    [Fact]
    public void Training_writes_a_checkpoint_and_reports_test_accuracy_and_time()
    {
        Assert.True(trained.Result.Code == 0, trained.Result.Err);
        Assert.True(File.Exists(trained.Checkpoint));
        string output = trained.Result.Out;
        Assert.Contains("Training vgg-mini", output);
        Assert.Contains("on 512 images of the embedded Fashion-MNIST subset", output);
        Assert.Contains("epoch 1/1: loss", output);
        Match accuracy = Regex.Match(output, @"vgg-mini: test accuracy (\d+\.\d) % on 1000 test images after 1 epochs");
        Assert.True(accuracy.Success, output);
        // One epoch on 512 images is far from converged, but well above chance (10 %).
        Assert.InRange(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 20, 100);
        Assert.Contains($"Checkpoint: {trained.Checkpoint}", output);
    }

    [Fact]
    public void The_same_seed_gives_the_same_checkpoint()
    {
        string again = Path.Combine(trained.Directory, "again.ckpt");
        var result = Run("train", "vgg-mini", "--epochs", "1", "--samples", "512", "--threads", "1", "--seed", "7", "--out", again);

        Assert.True(result.Code == 0, result.Err);
        IModelSpec spec = ZooCatalog.Find("vgg-mini");
        var (first, firstMetadata) = Checkpoint.Load(trained.Checkpoint, spec);
        var (second, secondMetadata) = Checkpoint.Load(again, spec);
        using (first)
        using (second)
        {
            // Bit for bit: every parameter and buffer (the metadata differ only in the training time).
            foreach (var ((name, a), (_, b)) in first.state_dict().Zip(second.state_dict()))
            {
                Assert.True(a.eq(b).all().item<bool>(), $"{name} differs between two runs of seed 7");
            }
        }
        Assert.Equal(firstMetadata.TestAccuracy, secondMetadata.TestAccuracy);
        Assert.Equal(firstMetadata.StructureHash, secondMetadata.StructureHash);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--samples", "-5", "--samples")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--adversarial", "cw", "cw")]
    public void Bad_options_are_usage_errors_that_name_the_option(string option, string value, string named)
    {
        var result = Run("train", "vgg-mini", option, value, "--out", Path.Combine(trained.Directory, "bad.ckpt"));

        Assert.Equal(2, result.Code);
        Assert.Contains(named, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.False(File.Exists(Path.Combine(trained.Directory, "bad.ckpt")));
    }

    [Fact]
    public void An_unknown_spec_is_a_usage_error_that_lists_the_known_ones()
    {
        var result = Run("train", "vgg-maxi", "--epochs", "1");

        Assert.Equal(2, result.Code);
        Assert.Contains("unknown spec 'vgg-maxi'", result.Err);
        Assert.Contains("vgg-mini", result.Err);
    }
}

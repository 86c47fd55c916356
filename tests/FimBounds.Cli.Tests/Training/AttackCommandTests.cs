using System.Text.Json;
using FimBounds.Cli.Tests.Ranking;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests.Training;

/// <summary>`fimbounds attack`: robust accuracy and success rate from a trained checkpoint, JSON, and clear errors.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class AttackCommandTests(TrainedCheckpointFixture trained) : IClassFixture<TrainedCheckpointFixture>
{
    [Fact]
    public void Pgd_attack_reports_accuracies_in_text_and_json()
    {
        Assert.True(trained.Result.Code == 0, trained.Result.Err);
        string json = Path.Combine(trained.Directory, "pgd.json");

        var result = Run("attack", "vgg-mini", "--checkpoint", trained.Checkpoint, "--samples", "40", "--steps", "5", "--minimal-eps", "--json", json);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("on 40 test images of the embedded Fashion-MNIST subset", result.Out);
        Assert.Contains("robust accuracy", result.Out);
        Assert.Contains("minimal PGD-L∞ ε: median", result.Out);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        Assert.Equal("vgg-mini", root.GetProperty("spec").GetString());
        JsonElement attack = root.GetProperty("attack");
        double clean = attack.GetProperty("cleanAccuracy").GetDouble();
        double robust = attack.GetProperty("robustAccuracy").GetDouble();
        Assert.InRange(clean, 0.2, 1.0);
        Assert.InRange(robust, 0.0, clean);
        Assert.Equal(40, attack.GetProperty("inputs").GetArrayLength());
        JsonElement[] minimal = root.GetProperty("minimalEpsilon").GetProperty("inputs").EnumerateArray().ToArray();
        Assert.Equal(40, minimal.Length);
        // A misclassified input needs no perturbation: its minimal ε is 0.
        Assert.All(minimal.Where(i => !i.GetProperty("cleanCorrect").GetBoolean()), i => Assert.Equal(0.0, i.GetProperty("epsilon").GetDouble()));
    }

    [Fact]
    public void A_zero_budget_fools_nobody_and_a_larger_budget_never_raises_robust_accuracy()
    {
        double Robust(string eps)
        {
            string json = Path.Combine(trained.Directory, $"fgsm-{eps}.json");
            var result = Run("attack", "vgg-mini", "--checkpoint", trained.Checkpoint, "--attack", "pgd", "--eps", eps, "--samples", "40", "--steps", "5", "--json", json);
            Assert.True(result.Code == 0, result.Err);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
            JsonElement attack = document.RootElement.GetProperty("attack");
            if (eps == "0")
            {
                Assert.Equal(attack.GetProperty("cleanAccuracy").GetDouble(), attack.GetProperty("robustAccuracy").GetDouble());
            }
            return attack.GetProperty("robustAccuracy").GetDouble();
        }

        double none = Robust("0");
        double small = Robust("0.01");
        double large = Robust("0.1");
        Assert.True(none >= small && small >= large, $"robust accuracy at ε 0, 0.01, 0.1: {none}, {small}, {large}");
        Assert.True(large < none, "an ε of 0.1 should fool some inputs of a barely trained model");
    }

    [Fact]
    public void A_checkpoint_of_another_spec_is_refused_with_both_names()
    {
        var result = Run("attack", "resnet-mini", "--checkpoint", trained.Checkpoint, "--samples", "4");

        Assert.Equal(1, result.Code);
        Assert.Contains("vgg-mini", result.Err);
        Assert.Contains("resnet-mini", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public void A_missing_checkpoint_is_named_in_the_error()
    {
        string missing = Path.Combine(trained.Directory, "nope.ckpt");
        var result = Run("attack", "vgg-mini", "--checkpoint", missing);

        Assert.NotEqual(0, result.Code);
        Assert.Contains("nope.ckpt", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Theory]
    [InlineData("--eps", "-0.1", "--eps")]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--attack", "deepfool", "deepfool")]
    public void Bad_attack_options_are_usage_errors(string option, string value, string named)
    {
        var result = Run("attack", "vgg-mini", "--checkpoint", trained.Checkpoint, option, value);

        Assert.Equal(2, result.Code);
        Assert.Contains(named, result.Err);
    }

    [Fact]
    public void Cw_takes_no_epsilon()
    {
        var result = Run("attack", "vgg-mini", "--checkpoint", trained.Checkpoint, "--attack", "cw", "--eps", "0.1");

        Assert.Equal(2, result.Code);
        Assert.Contains("--eps does not apply to cw", result.Err);
    }
}

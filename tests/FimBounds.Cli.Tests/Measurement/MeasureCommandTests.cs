using System.Text.Json;
using FimBounds.Cli.Tests.Ranking;
using static FimBounds.Tests.Shared.CliRunner;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;

namespace FimBounds.Cli.Tests.Measurement;

/// <summary>`fimbounds measure`: the table, the JSON contract and the exit codes.</summary>
/// <remarks>In the ranking runs' collection: a measurement seeds libtorch's global generator, which a parallel rank run draws from.</remarks>
[Collection(RankingRunsCollection.Name)]
public sealed class MeasureCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-measure-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Exact_measurement_writes_the_json_contract_and_holds()
    {
        string json = Path.Combine(_directory, "vgg.json");
        var (code, output, error) = Run("measure", "vgg-mini", "--samples", "3", "--seed", "4", "--json", json);

        Assert.True(code == 0, error);
        Assert.Contains("the bound holds at every input", output);
        Assert.Contains("test images of embedded Fashion-MNIST subset", output);
        Assert.Contains("features.0", output);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        Assert.Equal("vgg-mini", root.GetProperty("spec").GetString());
        Assert.Equal("exact", root.GetProperty("method").GetString());
        JsonElement[] samples = root.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(3, samples.Length);
        foreach (JsonElement s in samples)
        {
            Assert.True(s.GetProperty("lambdaMax").GetDouble() > 0);
            Assert.True(s.GetProperty("trace").GetDouble() >= s.GetProperty("lambdaMax").GetDouble());
            Assert.InRange(s.GetProperty("pMax").GetDouble(), 0.1, 1.0);
            Assert.Equal(JsonValueKind.Null, s.GetProperty("ciLow").ValueKind);
            Assert.True(s.TryGetProperty("index", out _) && s.TryGetProperty("ciHigh", out _));
        }
        JsonElement summary = root.GetProperty("summary");
        foreach (string field in new[] { "mean", "median", "p95", "max" })
        {
            Assert.True(summary.GetProperty(field).GetDouble() > 0, field);
        }
        JsonElement bound = root.GetProperty("bound");
        Assert.True(bound.GetProperty("holds").GetBoolean());
        Assert.True(bound.GetProperty("global").GetDouble() >= summary.GetProperty("max").GetDouble());
        JsonElement[] layers = root.GetProperty("perLayer").EnumerateArray().ToArray();
        Assert.Contains(layers, l => l.GetProperty("name").GetString() == "features.0" && l.GetProperty("kind").GetString() == "conv2d"
            && l.GetProperty("factor").GetDouble() > 0);
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
    }

    [Fact]
    public void Black_box_samples_carry_a_confidence_interval()
    {
        string json = Path.Combine(_directory, "bb.json");
        var (code, _, error) = Run("measure", "vgg-mini", "--samples", "1", "--method", "blackbox", "--json", json);
        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        foreach (JsonElement s in document.RootElement.GetProperty("samples").EnumerateArray())
        {
            double low = s.GetProperty("ciLow").GetDouble();
            double high = s.GetProperty("ciHigh").GetDouble();
            Assert.True(low <= high);
            Assert.True(s.GetProperty("lambdaMax").GetDouble() > 0);
        }
    }

    [Fact]
    public void Srp_methods_are_labelled_biased_low()
    {
        var (code, output, error) = Run("measure", "vgg-mini", "--samples", "1", "--method", "srp");
        Assert.True(code == 0, error);
        Assert.Contains("biased LOW", output);
    }

    [Theory]
    [InlineData("measure", "no-such-spec")]
    [InlineData("measure", "vgg-mini", "--samples", "0")]
    [InlineData("measure", "vgg-mini", "--method", "magic")]
    [InlineData("measure", "vgg-mini", "--precision", "half")]
    public void Usage_mistakes_exit_2_with_one_line(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Random_inputs_and_a_checkpoint_are_used_when_asked_for()
    {
        // A checkpoint of the spec with recognisable weights: the model measured must be this one, not a fresh one.
        IModelSpec spec = ZooCatalog.Find("vgg-mini");
        TorchSharp.torch.manual_seed(123);
        var model = spec.CreateModel();
        using (TorchSharp.torch.no_grad())
        {
            foreach (var p in model.parameters())
            {
                p.mul_(1.5);
            }
        }
        string checkpoint = Path.Combine(_directory, "vgg-mini.ckpt");
        Checkpoint.Save(checkpoint, model, new CheckpointMetadata { SpecName = spec.Name, StructureHash = StructureHash.Of(spec.Description) });
        string json = Path.Combine(_directory, "ckpt.json");

        var (code, output, error) = Run("measure", "vgg-mini", "--checkpoint", checkpoint, "--inputs", "random", "--samples", "2", "--json", json);

        Assert.True(code == 0, error);
        Assert.Contains("weights: " + checkpoint, output);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(checkpoint, document.RootElement.GetProperty("checkpoint").GetString());
        Assert.StartsWith("uniform [0,1]", document.RootElement.GetProperty("inputs").GetString());
        // σ of the first convolution scales with the weights: 1.5 × the value for the fresh model of the same seed.
        string freshJson = Path.Combine(_directory, "fresh.json");
        Assert.Equal(0, Run("measure", "vgg-mini", "--seed", "123", "--inputs", "random", "--samples", "1", "--json", freshJson).Code);
        using JsonDocument freshDocument = JsonDocument.Parse(File.ReadAllText(freshJson));
        Assert.Equal(1.5, FirstConvolutionFactor(document) / FirstConvolutionFactor(freshDocument), 6);
    }

    private static double FirstConvolutionFactor(JsonDocument report) => report.RootElement.GetProperty("perLayer").EnumerateArray()
        .First(l => l.GetProperty("name").GetString() == "features.0").GetProperty("factor").GetDouble();

    [Fact]
    public void A_missing_checkpoint_exits_1_naming_the_file()
    {
        string missing = Path.Combine(_directory, "nope.bin");
        var (code, _, error) = Run("measure", "vgg-mini", "--checkpoint", missing);
        Assert.Equal(1, code);
        Assert.Contains("nope.bin", error);
    }
}

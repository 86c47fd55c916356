using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Interop;
using FimBounds.Zoo;
using static FimBounds.Tests.Shared.CliRunner;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.Interop;

/// <summary>'fimbounds import' with the wrong weights: each mistake is one line naming it, exit 1.</summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-import-").FullName;

    public ImportErrorTests()
    {
        // vgg-mini's state_dict, written by our writer: the material every case below damages.
        manual_seed(0);
        using var model = ZooCatalog.Find("vgg-mini").CreateModel();
        StateDictFile.Write(Path.Combine(_directory, "vgg-mini.pt"), ModuleWeights.Read(model));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static void AssertOneLineFailure(CliFailure failure, params string[] expected)
    {
        Assert.Equal(1, failure.Code);
        Assert.Single(failure.Error.Trim().Split('\n'));
        foreach (string part in expected)
        {
            Assert.Contains(part, failure.Error);
        }
    }

    private CliFailure Import(string spec, string file)
    {
        var (code, _, error) = Run("import", spec, "--from", PathOf(file), "--out", PathOf("out.ckpt"));
        Assert.False(File.Exists(PathOf("out.ckpt")), "no checkpoint is written on failure");
        return new CliFailure(code, error);
    }

    [Fact]
    public void The_weights_import_and_export_back_identically()
    {
        var imported = Run("import", "vgg-mini", "--from", PathOf("vgg-mini.pt"), "--out", PathOf("vgg.ckpt"));
        var exported = Run("export", "--checkpoint", PathOf("vgg.ckpt"), "--to", PathOf("back.safetensors"));

        Assert.True(imported.Code == 0 && exported.Code == 0, imported.Err + exported.Err);
        Assert.Equal("vgg-mini.pt", Checkpoint.ReadMetadata(PathOf("vgg.ckpt")).ImportedFrom);
        IReadOnlyList<RawTensor> before = StateDictFile.Read(PathOf("vgg-mini.pt")), after = StateDictFile.Read(PathOf("back.safetensors"));
        Assert.Equal(before.Select(t => (t.Name, t.ShapeText, Convert.ToHexString(t.Data))), after.Select(t => (t.Name, t.ShapeText, Convert.ToHexString(t.Data))));
    }

    [Fact]
    public void Weights_of_another_architecture_name_the_first_mismatch()
    {
        AssertOneLineFailure(Import("resnet-mini", "vgg-mini.pt"), "does not match resnet-mini's state_dict", "missing '", "unexpected 'features.0.weight'");
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        byte[] bytes = File.ReadAllBytes(PathOf("vgg-mini.pt"));
        File.WriteAllBytes(PathOf("cut.pt"), bytes[..(bytes.Length / 2)]);

        AssertOneLineFailure(Import("vgg-mini", "cut.pt"), "cut.pt", "truncated");
    }

    [Fact]
    public void One_renamed_key_is_named_both_ways()
    {
        IReadOnlyList<RawTensor> tensors = StateDictFile.Read(PathOf("vgg-mini.pt"));
        StateDictFile.Write(PathOf("renamed.safetensors"),
            tensors.Select(t => t.Name == "classifier.6.bias" ? new RawTensor("classifier.6.b", t.DType, t.Shape, t.Data) : t).ToList());

        AssertOneLineFailure(Import("vgg-mini", "renamed.safetensors"), "missing 'classifier.6.bias'", "unexpected 'classifier.6.b'");
    }

    [Fact]
    public void A_mis_shaped_tensor_names_both_shapes()
    {
        IReadOnlyList<RawTensor> tensors = StateDictFile.Read(PathOf("vgg-mini.pt"));
        StateDictFile.Write(PathOf("wide.pt"),
            tensors.Select(t => t.Name == "classifier.6.bias" ? new RawTensor(t.Name, t.DType, [11], new byte[44]) : t).ToList());

        AssertOneLineFailure(Import("vgg-mini", "wide.pt"), "'classifier.6.bias' has shape [11] but vgg-mini needs [10]");
    }

    private sealed record CliFailure(int Code, string Error);
}

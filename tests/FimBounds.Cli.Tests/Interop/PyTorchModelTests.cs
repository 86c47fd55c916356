using FimBounds.Engine.Measurement;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Interop;
using FimBounds.Tests.Shared;
using FimBounds.Zoo;
using TorchSharp;
using static FimBounds.Tests.Shared.CliRunner;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.Interop;

/// <summary>
/// Whole models across the PyTorch boundary through 'fimbounds import' and 'fimbounds export'. Seeded
/// PyTorch models — the mini zoo's twins (mini_twins.py, shipped with bench's PyTorch peers) and torchvision's own full-size
/// builders — import with PyTorch's logits; a FimBounds-trained vgg-mini exported gives FimBounds' logits
/// in PyTorch; PyTorch's plain autograd computation of the exact λ_max agrees with the engine's.
/// Everything in float64; inputs are continuous random images (no max-pool ties).
/// </summary>
[Collection(PyTorchCollection.Name)]
public sealed class PyTorchModelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-pytorch-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PyTorchTheory]
    [InlineData("vgg-mini")]
    [InlineData("resnet-mini")]
    [InlineData("densenet-mini")]
    [InlineData("vit-mini")]
    public void A_seeded_PyTorch_twin_imports_with_its_logits_and_exact_lambda_max_and_exports_as_its_own_state_dict(string spec)
    {
        PythonTorch.RunScript("save_seeded_model.py", _directory, spec, "0", "4");
        string checkpoint = Path.Combine(_directory, spec + ".ckpt");

        nn.Module<Tensor, Tensor> model = Import(spec, spec, checkpoint);

        using var scope = NewDisposeScope();
        using var _ = model;
        Dictionary<string, Tensor> io = Tensors(Path.Combine(_directory, spec + "-io.safetensors"));
        using (no_grad())
        {
            AssertClose(io["logits"], model.call(io["x"]), 1e-10);
        }
        FimMeasurement measured = FimMeasurer.Measure(model, io["x"], FimMethod.Exact, FimOptions.Default with { Precision = ScalarType.Float64 });
        AssertClose(io["lambda_max"], tensor(measured.Samples.Select(s => s.LambdaMax!.Value).ToArray(), float64), 1e-8);

        // Exported again, the checkpoint is the twin's state_dict: the same keys in the same order, the same bytes.
        string exported = Path.Combine(_directory, spec + "-back.safetensors");
        var export = Run("export", "--checkpoint", checkpoint, "--to", exported);
        Assert.True(export.Code == 0, export.Err);
        IReadOnlyList<RawTensor> original = StateDictFile.Read(Path.Combine(_directory, spec + ".pt"));
        IReadOnlyList<RawTensor> back = StateDictFile.Read(exported);
        Assert.Equal(original.Select(t => t.Name), back.Select(t => t.Name));
        foreach (var (before, after) in original.Zip(back))
        {
            Assert.Equal(before.Shape, after.Shape);
            Assert.True(before.Data.AsSpan().SequenceEqual(after.Data), $"{before.Name} changed on the way through FimBounds");
        }
    }

    [PyTorchTheory]
    [InlineData("resnet18", "resnet18")]
    [InlineData("densenet121", "densenet121")]
    [InlineData("vgg11", "vgg11")]
    [InlineData("vit_b_16", "vit-b-16")]
    public void A_seeded_torchvision_model_imports_into_the_full_size_spec_with_the_same_logits(string builder, string spec)
    {
        PythonTorch.RunScript("save_seeded_model.py", _directory, builder, "0", "1");

        nn.Module<Tensor, Tensor> model = Import(builder, spec, Path.Combine(_directory, spec + ".ckpt"));

        using var scope = NewDisposeScope();
        using var _ = model;
        Dictionary<string, Tensor> io = Tensors(Path.Combine(_directory, builder + "-io.safetensors"));
        using (no_grad())
        {
            AssertClose(io["logits"], model.call(io["x"]), 1e-10);
        }
    }

    [PyTorchFact]
    public void A_trained_vgg_mini_exports_to_PyTorch_with_the_same_logits_and_exact_lambda_max()
    {
        string checkpoint = Path.Combine(_directory, "vgg-mini.ckpt");
        var train = Run("train", "vgg-mini", "--epochs", "1", "--samples", "512", "--threads", "1", "--out", checkpoint);
        Assert.True(train.Code == 0, train.Err);
        foreach (string file in new[] { "vgg-mini.pt", "vgg-mini.safetensors" })
        {
            var export = Run("export", "--checkpoint", checkpoint, "--to", Path.Combine(_directory, file));
            Assert.True(export.Code == 0, export.Err);
        }

        using var scope = NewDisposeScope();
        var (model, _) = Checkpoint.Load(checkpoint, ZooCatalog.Find("vgg-mini"));
        using var __ = model;
        manual_seed(5);
        Tensor x = rand(4, 1, 28, 28, float64);
        StateDictFile.Write(Path.Combine(_directory, "x.safetensors"), [new RawTensor("x", TensorDType.Float64, x.shape, x.bytes.ToArray())]);
        PythonTorch.RunScript("load_export.py", _directory, "vgg-mini");

        Dictionary<string, Tensor> fromPyTorch = Tensors(Path.Combine(_directory, "out.safetensors"));
        model.to(float64);
        using (no_grad())
        {
            Tensor logits = model.call(x);
            AssertClose(fromPyTorch["logits_pt"], logits, 1e-10);
            AssertClose(fromPyTorch["logits_safetensors"], logits, 1e-10);
        }
        FimMeasurement measured = FimMeasurer.Measure(model, x, FimMethod.Exact, FimOptions.Default with { Precision = ScalarType.Float64 });
        Tensor lambdas = tensor(measured.Samples.Select(s => s.LambdaMax!.Value).ToArray(), float64);
        AssertClose(fromPyTorch["lambda_pt"], lambdas, 1e-8);
        AssertClose(fromPyTorch["lambda_safetensors"], lambdas, 1e-8);
    }

    /// <summary>'fimbounds import' of FILE.pt into <paramref name="spec"/>; the imported model in float64, eval mode.</summary>
    private nn.Module<Tensor, Tensor> Import(string file, string spec, string checkpoint)
    {
        var (code, output, error) = Run("import", spec, "--from", Path.Combine(_directory, file + ".pt"), "--out", checkpoint);
        Assert.True(code == 0, error);
        Assert.Contains("every key and shape matched", output);
        var (model, metadata) = Checkpoint.Load(checkpoint, ZooCatalog.Find(spec));
        Assert.Equal(file + ".pt", metadata.ImportedFrom);
        model.to(float64);
        model.eval();
        return model;
    }

    private static Dictionary<string, Tensor> Tensors(string path)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (RawTensor raw in StateDictFile.Read(path))
        {
            Tensor t = empty(raw.Shape, raw.DType.ScalarType);
            t.bytes = raw.Data;
            result[raw.Name] = t;
        }
        return result;
    }

    private static void AssertClose(Tensor expected, Tensor actual, double relative)
    {
        Assert.Equal(expected.shape, actual.shape);
        double[] e = expected.to(float64).data<double>().ToArray();
        double[] a = actual.to(float64).data<double>().ToArray();
        double scale = e.Max(Math.Abs);
        double worst = e.Zip(a, (u, v) => Math.Abs(u - v)).Max() / scale;
        Assert.True(worst <= relative, $"largest difference {worst:E2} of the largest magnitude {scale:G4} (allowed {relative:E0})");
    }
}

/// <summary>The PyTorch model tests run one at a time: each starts a Python process and trains or runs large models.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PyTorchCollection
{
    public const string Name = "PyTorch";
}

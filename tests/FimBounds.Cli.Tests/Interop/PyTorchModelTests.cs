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
/// Whole models across the PyTorch boundary through 'fimbounds import' and 'fimbounds export': a seeded
/// torchvision resnet18 imported gives PyTorch's logits; a FimBounds-trained vgg-mini exported gives
/// FimBounds' logits in PyTorch, and PyTorch's plain autograd computation of the exact λ_max agrees with
/// the engine's. Everything in float64; inputs are continuous random images (no max-pool ties).
/// </summary>
[Collection(PyTorchCollection.Name)]
public sealed class PyTorchModelTests : IDisposable
{
    /// <summary>vgg-mini written in PyTorch with the spec's names (normalisation inside, as in FimBounds).</summary>
    private const string VggMiniInPython = """
        import torch.nn as nn
        class VggMini(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                              nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
                self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
                self.classifier = nn.Sequential(nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Dropout(0.25), nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.25), nn.Linear(64, 10))
            def forward(self, x):
                x = (x - 0.2860) / 0.3530
                return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))
        def exact_lambda_max(model, x):
            # F(x) = J^T (diag p - p p^T) J from a dense autograd Jacobian: no batching, no K x K trick.
            values = []
            for i in range(x.shape[0]):
                xi = x[i:i + 1]
                J = torch.autograd.functional.jacobian(lambda v: model(v)[0], xi).reshape(10, -1)
                p = torch.softmax(model(xi)[0], 0)
                F = J.T @ (torch.diag(p) - torch.outer(p, p)) @ J
                values.append(torch.linalg.eigvalsh(F)[-1].item())
            return values
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-pytorch-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PyTorchFact]
    public void A_seeded_torchvision_resnet18_imports_with_the_same_logits()
    {
        PythonTorch.Run(PythonTorch.SafetensorsHelpers + "\n" + """
            import torchvision
            torch.manual_seed(0)
            model = torchvision.models.resnet18()
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):
                        m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 2.0); m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.2, 0.2)
            model.eval()
            torch.save(model.state_dict(), 'resnet18.pt')
            x = torch.rand(2, 3, 224, 224, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
            mean = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float64).reshape(1, 3, 1, 1)
            std = torch.tensor([0.229, 0.224, 0.225], dtype=torch.float64).reshape(1, 3, 1, 1)
            with torch.no_grad():
                logits = model.double()((x - mean) / std)
            save_safetensors('io.safetensors', {'x': x, 'logits': logits})
            """, _directory);

        var (code, output, error) = Run("import", "resnet18", "--from", Path.Combine(_directory, "resnet18.pt"), "--out", Path.Combine(_directory, "resnet18.ckpt"));
        Assert.True(code == 0, error);
        Assert.Contains("every key and shape matched", output);

        using var scope = NewDisposeScope();
        var (model, metadata) = Checkpoint.Load(Path.Combine(_directory, "resnet18.ckpt"), ZooCatalog.Find("resnet18"));
        using var _ = model;
        Assert.Equal("resnet18.pt", metadata.ImportedFrom);
        Dictionary<string, Tensor> io = Tensors(Path.Combine(_directory, "io.safetensors"));
        model.to(float64);
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
        PythonTorch.Run(PythonTorch.SafetensorsHelpers + "\n" + VggMiniInPython + "\n" + """
            x = load_safetensors('x.safetensors')['x']
            results = {}
            for name, sd in [('pt', torch.load('vgg-mini.pt', weights_only=True)), ('safetensors', load_safetensors('vgg-mini.safetensors'))]:
                model = VggMini()
                model.load_state_dict(sd, strict=True)
                model = model.double().eval()
                with torch.no_grad():
                    results['logits_' + name] = model(x)
                results['lambda_' + name] = torch.tensor(exact_lambda_max(model, x), dtype=torch.float64)
            save_safetensors('out.safetensors', results)
            """, _directory);

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

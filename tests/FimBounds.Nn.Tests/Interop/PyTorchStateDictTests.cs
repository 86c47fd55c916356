using System.Text.Json;
using FimBounds.Core.Errors;
using FimBounds.Nn.Interop;
using FimBounds.Tests.Shared;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Nn.Tests.Interop;

/// <summary>
/// State_dicts cross between FimBounds and real PyTorch (Debian's 1.13) both ways, in both formats. The
/// safetensors files on the Python side are written and parsed by a few lines of Python
/// (safetensors_io.py, shipped with bench's PyTorch peers; Debian has no safetensors package), from the
/// format's specification, not from FimBounds' C# reader and writer.
/// </summary>
public sealed class PyTorchStateDictTests : IDisposable
{
    private const string SafetensorsInPython = "from safetensors_io import save_safetensors, load_safetensors\nfrom tensor_description import describe";

    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-pytorch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PyTorchFact]
    public void A_PyTorch_state_dict_with_views_and_shared_storage_reads_exactly()
    {
        string description = PythonTorch.Run(SafetensorsInPython + "\n" + """
            from collections import OrderedDict
            g = torch.Generator().manual_seed(7)
            w = torch.randn(4, 3, generator=g)
            sd = OrderedDict([
                ('layer.weight_t', w.t()),
                ('layer.slice', w[1:3, 1:]),
                ('layer.bias', torch.randn(3, dtype=torch.float64, generator=g)),
                ('bn.num_batches_tracked', torch.tensor(42)),
                ('conv.weight', torch.randn(2, 3, 2, 2, generator=g)),
            ])
            torch.save(sd, 'from-pytorch.pt')
            save_safetensors('from-pytorch.safetensors', sd)
            print(describe(sd))
            """, _directory);

        foreach (string file in new[] { "from-pytorch.pt", "from-pytorch.safetensors" })
        {
            IReadOnlyList<RawTensor> read = StateDictFile.Read(Path.Combine(_directory, file));
            AssertMatches(description, read);
        }
    }

    [PyTorchFact]
    public void A_FimBounds_state_dict_loads_in_PyTorch_with_weights_only()
    {
        IReadOnlyList<RawTensor> sample = RawTensors.Sample();
        StateDictFile.Write(Path.Combine(_directory, "from-fimbounds.pt"), sample);
        StateDictFile.Write(Path.Combine(_directory, "from-fimbounds.safetensors"), sample);

        string fromPt = PythonTorch.Run(SafetensorsInPython + "\n" + "print(describe(torch.load('from-fimbounds.pt', weights_only=True)))", _directory);
        string fromSafetensors = PythonTorch.Run(SafetensorsInPython + "\n" + "print(describe(load_safetensors('from-fimbounds.safetensors')))", _directory);

        AssertMatches(fromPt, sample);
        AssertMatches(fromSafetensors, sample);
    }

    [PyTorchFact]
    public void A_model_moves_between_PyTorch_and_TorchSharp_with_the_same_outputs()
    {
        // PyTorch builds and runs the model; TorchSharp loads its weights, runs the same input, exports
        // them again, and PyTorch loads the export strictly and checks its own outputs.
        string logits = PythonTorch.Run("""
            torch.manual_seed(3)
            model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2)).double()
            with torch.no_grad():
                model[1].running_mean.copy_(torch.randn(3, dtype=torch.float64))
                model[1].running_var.copy_(torch.rand(3, dtype=torch.float64) + 0.5)
                model[1].weight.copy_(torch.randn(3, dtype=torch.float64))
            model.eval()
            torch.save(model.state_dict(), 'model.pt')
            x = torch.linspace(-2, 2, 20, dtype=torch.float64).reshape(5, 4)
            print(' '.join(repr(v) for v in model(x).flatten().tolist()))
            """, _directory);
        double[] expected = logits.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(double.Parse).ToArray();

        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2));
        model.to(float64);
        ModuleWeights.Load(model, StateDictFile.Read(Path.Combine(_directory, "model.pt")), "model.pt", "the test model");
        model.eval();
        Tensor x = linspace(-2, 2, 20, float64).reshape(5, 4);
        double[] actual = model.call(x).data<double>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: {actual[i]} vs PyTorch {expected[i]}");
        }

        StateDictFile.Write(Path.Combine(_directory, "back.safetensors"), ModuleWeights.Read(model));
        StateDictFile.Write(Path.Combine(_directory, "back.pt"), ModuleWeights.Read(model));
        string check = PythonTorch.Run(SafetensorsInPython + "\n" + """
            model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2)).double().eval()
            x = torch.linspace(-2, 2, 20, dtype=torch.float64).reshape(5, 4)
            reference = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2)).double().eval()
            reference.load_state_dict(torch.load('model.pt'), strict=True)
            for name, sd in [('pt', torch.load('back.pt', weights_only=True)), ('safetensors', load_safetensors('back.safetensors'))]:
                model.load_state_dict(sd, strict=True)
                assert torch.equal(model(x), reference(x)), name
            print('ok')
            """, _directory);
        Assert.Equal("ok", check.Trim());
    }

    [PyTorchFact]
    public void A_pickled_whole_module_is_named_and_refused()
    {
        PythonTorch.Run("torch.save(torch.nn.Linear(2, 2), 'module.pt')", _directory);

        var error = Assert.Throws<InputException>(() => StateDictFile.Read(Path.Combine(_directory, "module.pt")));

        Assert.Contains("torch.nn.modules.linear.Linear", error.Message);
        Assert.Contains("model.state_dict()", error.Message);
    }

    [PyTorchFact]
    public void Missing_extra_and_misshaped_keys_are_named()
    {
        PythonTorch.Run("""
            sd = torch.nn.Linear(4, 3).state_dict()
            torch.save({'weight': sd['weight'], 'bias_renamed': sd['bias']}, 'renamed.pt')
            torch.save(torch.nn.Linear(5, 3).state_dict(), 'wider.pt')
            """, _directory);
        using var model = nn.Linear(4, 3);

        var renamed = Assert.Throws<InputException>(() => ModuleWeights.Load(model, StateDictFile.Read(Path.Combine(_directory, "renamed.pt")), "renamed.pt", "linear"));
        var wider = Assert.Throws<InputException>(() => ModuleWeights.Load(model, StateDictFile.Read(Path.Combine(_directory, "wider.pt")), "wider.pt", "linear"));

        Assert.Contains("missing 'bias'", renamed.Message);
        Assert.Contains("unexpected 'bias_renamed'", renamed.Message);
        Assert.Contains("'weight' has shape [3, 5] but linear needs [3, 4]", wider.Message);
    }

    private static void AssertMatches(string pythonDescription, IReadOnlyList<RawTensor> tensors)
    {
        using JsonDocument document = JsonDocument.Parse(pythonDescription);
        var expectedNames = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(expectedNames, tensors.Select(t => t.Name));
        foreach (RawTensor tensor in tensors)
        {
            JsonElement entry = document.RootElement.GetProperty(tensor.Name);
            Assert.Equal(entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), tensor.Shape);
            double[] expected = entry.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double[] actual = tensor.DType.ScalarType switch
            {
                ScalarType.Float32 => RawTensors.Values<float>(tensor).Select(v => (double)v).ToArray(),
                ScalarType.Float64 => RawTensors.Values<double>(tensor),
                ScalarType.Int64 => RawTensors.Values<long>(tensor).Select(v => (double)v).ToArray(),
                _ => throw new InvalidOperationException(tensor.DType.SafetensorsName),
            };
            Assert.Equal(expected, actual);
            Assert.Equal("torch." + tensor.DType.ScalarType.ToString().ToLowerInvariant(), entry.GetProperty("dtype").GetString());
        }
    }
}

using FimBounds.Cli.Tests.Ranking;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Json;
using FimBounds.Study.Benchmarks.Peers;
using FimBounds.Study.Models;
using FimBounds.Tests.Shared;
using FimBounds.Zoo;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.Benchmarks;

/// <summary>
/// `bench`'s PyTorch peers: with Debian's PyTorch, the twins of the mini zoo load FimBounds' weights strictly and
/// compute the same exact λ_max on the same inputs, both ways (batched and the reference's loop); without it,
/// every row says "not installed" and nothing fails.
/// </summary>
/// <remarks>In the ranking runs' collection: creating a model draws from libtorch's global generator, which a parallel rank run draws from.</remarks>
[Collection(RankingRunsCollection.Name)]
public sealed class PeerBenchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-peer-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PyTorchFact]
    public void Every_mini_twin_loads_the_weights_and_agrees_on_the_exact_lambda_max()
    {
        using var peers = new PeerBench(PythonTorch.Interpreter, threads: 1);
        foreach (string name in MiniZoo.Specs)
        {
            using var scope = NewDisposeScope();
            IModelSpec spec = ZooCatalog.Find(name);
            nn.Module<Tensor, Tensor> model = ModelSource.Load(spec, checkpoint: null, seed: 3);
            // Continuous random pixels: no max-pooling ties, so every input is compared.
            Tensor inputs = ModelSource.RandomInputs(spec, 6, seed: 3);
            double largest = FimMeasurer.Measure(model, inputs, FimMethod.Exact).Samples.Max(s => s.LambdaMax!.Value);
            Assert.True(largest > 1e-6, $"{name}: λ_max {largest} is too small for the comparison to mean anything");

            IReadOnlyList<PeerRow> rows = peers.Run(spec, model, inputs, rounds: 1, loopInputs: 2, seed: 3, new Progress<string>());

            Assert.Equal([PeerRow.BatchedName, PeerRow.LoopName], rows.Select(r => r.Name));
            foreach (PeerRow row in rows)
            {
                Assert.True(row.Status == "measured", $"{name}, {row.Name}: {row.Status}");
                Assert.False(string.IsNullOrEmpty(row.TorchVersion));
                Assert.True(row.MsPerInput > 0 && double.IsFinite(row.Ratio) && row.Ratio > 0, $"{name}, {row.Name}: {row.MsPerInput} ms, ratio {row.Ratio}");
                PeerRow.Agreement agreement = row.LambdaMaxAgreement!;
                Assert.Equal(row.Name == PeerRow.LoopName ? 2 : 6, agreement.Compared + agreement.TiesExcluded);
                Assert.True(agreement.Compared >= 1, $"{name}, {row.Name}: every input was flagged as a max-pooling tie");
                Assert.True(agreement.Agrees, $"{name}, {row.Name}: λ_max differs by {agreement.MaxRelativeDifference:E2} relative");
            }
        }
    }

    [PyTorchFact]
    public void The_bench_runs_the_very_twins_the_round_trip_tests_check()
    {
        // One copy of the twins: the bench writes the modules embedded in Study beside its script, and the round-trip
        // tests (Interop/PyTorchModelTests: logits to 1e-10 and λ_max to 1e-8 against FimBounds) import these files.
        using (PyTorchPeer.TryStart(PythonTorch.Interpreter, _directory, threads: 1, out string? whyNot) ?? throw new InvalidOperationException(whyNot))
        {
        }
        string[] shared = PyTorchPeer.ScriptFiles.Where(name => File.Exists(Path.Combine(PythonTorch.ScriptsDirectory, name))).ToArray();
        Assert.Equal(["mini_twins.py", "safetensors_io.py"], shared);
        foreach (string name in shared)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(PythonTorch.ScriptsDirectory, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_directory, name))),
                $"the bench wrote another {name} than the one the PyTorch tests import");
        }

        // And the peer script holds no twins of its own: it runs that module's.
        string output = PythonTorch.Run("""
            import fim_peers, mini_twins   # both as the bench wrote them, beside this script
            assert fim_peers.TWINS is mini_twins.TWINS
            print('\n'.join(fim_peers.TWINS))
            """, _directory);

        Assert.Equal(MiniZoo.Specs, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [PyTorchFact]
    public void A_spec_without_a_twin_is_a_failed_row_not_a_failed_bench()
    {
        using var peers = new PeerBench(PythonTorch.Interpreter, threads: 1);
        using var scope = NewDisposeScope();
        IModelSpec spec = ZooCatalog.Find("vgg16");
        var model = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(3 * 4 * 4, 10)));
        IReadOnlyList<PeerRow> rows = peers.Run(spec, model, rand(2, 3, 4, 4), rounds: 1, loopInputs: 1, seed: 0, new Progress<string>());

        Assert.All(rows, row => Assert.StartsWith("failed: ValueError: no PyTorch twin of vgg16", row.Status));
        Assert.All(rows, row => Assert.True(double.IsNaN(row.MsPerInput) && !row.TargetMet));
    }

    [Fact]
    public void Without_an_interpreter_every_row_says_not_installed()
    {
        IReadOnlyList<PeerRow> rows = RowsWith(Path.Combine(_directory, "no-such-python3"));

        Assert.All(rows, row => Assert.Matches("^not installed: .*no-such-python3 cannot be started", row.Status));
        AssertUnmeasured(rows);
    }

    [Fact]
    public void With_a_python_that_cannot_import_torch_every_row_says_not_installed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;   // the stand-in interpreter below is a shell script
        }
        string python = Path.Combine(_directory, "python-without-torch");
        File.WriteAllText(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        IReadOnlyList<PeerRow> rows = RowsWith(python);

        Assert.All(rows, row => Assert.Equal(
            $"not installed: {python} cannot import torch and torchvision (ModuleNotFoundError: No module named 'torch'); install python3-torch python3-torchvision",
            row.Status));
        AssertUnmeasured(rows);
    }

    private static IReadOnlyList<PeerRow> RowsWith(string interpreter)
    {
        using var peers = new PeerBench(interpreter, threads: 1);
        using var scope = NewDisposeScope();
        IModelSpec spec = ZooCatalog.Find("vgg-mini");
        var model = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(28 * 28, 10)));
        return peers.Run(spec, model, zeros(2, 1, 28, 28), rounds: 1, loopInputs: 1, seed: 0, new Progress<string>());
    }

    private static void AssertUnmeasured(IReadOnlyList<PeerRow> rows)
    {
        Assert.Equal([PeerRow.BatchedName, PeerRow.LoopName], rows.Select(r => r.Name));
        Assert.All(rows, row => Assert.True(double.IsNaN(row.MsPerInput) && double.IsNaN(row.Ratio) && row.LambdaMaxAgreement is null && !row.TargetMet));
        string json = JsonPolicy.Serialize(rows);
        Assert.Contains("\"msPerInput\": null", json);
        Assert.Contains("\"ratio\": null", json);
        Assert.Contains("\"lambdaMaxAgreement\": null", json);
    }
}

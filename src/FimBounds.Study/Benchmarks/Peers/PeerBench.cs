using System.Diagnostics;
using FimBounds.Core.Architecture;
using FimBounds.Core.Statistics;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Interop;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Study.Benchmarks.Peers;

/// <summary>
/// FimBounds' exact method against PyTorch on the same machine, in the same run: the model's weights (through
/// the state_dict writer) and the bench's inputs go to <see cref="PyTorchPeer"/> as safetensors, and every
/// timing round runs FimBounds' exact method, PyTorch's careful batched computation and the reference's
/// per-sample loop one after the other, so machine load hits all three alike. λ_max must agree with FimBounds'
/// (both float32) to <see cref="Tolerance"/>, inputs with max-pooling ties left out. Without PyTorch every row
/// says "not installed" and nothing fails. Owns a scratch directory and the Python process (dispose it).
/// </summary>
public sealed class PeerBench : IDisposable
{
    /// <summary>Relative λ_max agreement of two float32 computations of the same exact quantity.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>FimBounds' exact method at least this many times faster than the batched PyTorch peer on a CNN.</summary>
    public const double BatchedTarget = 1.5;

    /// <summary>… and no slower on a transformer (whose input gradients still go through autograd).</summary>
    public const double TransformerBatchedTarget = 1.0;

    /// <summary>… and at least this many times faster than the reference's per-sample loop.</summary>
    public const double LoopTarget = 10;

    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-peers-").FullName;
    private readonly PyTorchPeer? _peer;
    private readonly string? _whyNot;
    private readonly int _threads;

    public PeerBench(string interpreter, int threads)
    {
        _threads = threads;
        _peer = PyTorchPeer.TryStart(interpreter, _directory, threads, out _whyNot);
    }

    /// <summary>
    /// Both peers on <paramref name="spec"/>'s <paramref name="model"/> at <paramref name="batch"/> (float32), over
    /// <paramref name="rounds"/> interleaved rounds; the loop peer runs on the first <paramref name="loopInputs"/> inputs.
    /// </summary>
    public IReadOnlyList<PeerRow> Run(IModelSpec spec, nn.Module<Tensor, Tensor> model, Tensor batch, int rounds, int loopInputs, long seed,
        IProgress<string> progress)
    {
        double batchedTarget = spec.Description.Family == ArchitectureFamily.Transformer ? TransformerBatchedTarget : BatchedTarget;
        if (_peer is null)
        {
            return Unmeasured(spec.Name, _whyNot!, batchedTarget, null);
        }
        try
        {
            return Measure(_peer, spec, model, batch, rounds, Math.Min(loopInputs, (int)batch.shape[0]), seed, batchedTarget, progress);
        }
        catch (PeerException e)
        {
            return Unmeasured(spec.Name, $"failed: {e.Message}", batchedTarget, _peer.TorchVersion);
        }
    }

    public void Dispose()
    {
        _peer?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private IReadOnlyList<PeerRow> Measure(PyTorchPeer peer, IModelSpec spec, nn.Module<Tensor, Tensor> model, Tensor batch, int rounds,
        int loopInputs, long seed, double batchedTarget, IProgress<string> progress)
    {
        using var scope = NewDisposeScope();
        Tensor x = batch.to(float32).contiguous();
        int count = (int)x.shape[0];
        string weights = Path.Combine(_directory, spec.Name + ".weights.safetensors");
        string inputs = Path.Combine(_directory, spec.Name + ".inputs.safetensors");
        StateDictFile.Write(weights, ModuleWeights.Read(model));
        StateDictFile.Write(inputs, [new RawTensor("x", TensorDType.Float32, x.shape, x.bytes.ToArray())]);
        bool[] ties = peer.Load(spec.Name, weights, inputs, _threads);

        var options = new FimOptions { Seed = seed, MaxBatchSize = count };
        double[] exact = FimMeasurer.Measure(model, x, FimMethod.Exact, options).Samples.Select(s => s.LambdaMax ?? double.NaN).ToArray();
        peer.Time("batched", count);   // warm-up of the peer's allocator and kernels, as FimBounds' line above
        peer.Time("loop", 1);
        var own = new List<double>();
        var batched = new List<double>();
        var loop = new List<double>();
        double[] batchedLambda = [];
        double[] loopLambda = [];
        for (int round = 0; round < rounds; round++)
        {
            progress.Report($"{spec.Name}: PyTorch peers, timing round {round + 1}/{rounds}");
            var clock = Stopwatch.StartNew();
            FimMeasurer.Measure(model, x, FimMethod.Exact, options);
            own.Add(clock.Elapsed.TotalMilliseconds / count);
            (double b, batchedLambda) = peer.Time("batched", count);
            (double l, loopLambda) = peer.Time("loop", loopInputs);
            batched.Add(b);
            loop.Add(l);
        }
        return
        [
            Row(PeerRow.BatchedName, spec.Name, batched, own, batchedTarget, Agree(batchedLambda, exact, ties), count, peer.TorchVersion),
            Row(PeerRow.LoopName, spec.Name, loop, own, LoopTarget, Agree(loopLambda, exact, ties), loopInputs, peer.TorchVersion),
        ];
    }

    private PeerRow Row(string name, string spec, List<double> peer, List<double> own, double target, PeerRow.Agreement agreement, int inputs, string torch)
    {
        double ratio = Median(peer.Select((p, i) => p / own[i]));
        return new PeerRow(name, spec, "measured", Median(peer), ratio, agreement, Median(own), inputs, target, ratio >= target, torch, _threads);
    }

    /// <summary>The peer's λ_max against FimBounds' on the inputs both computed, ties left out.</summary>
    private static PeerRow.Agreement Agree(double[] peer, double[] exact, bool[] ties)
    {
        double worst = 0;
        double worstWithTies = 0;
        int compared = 0;
        for (int i = 0; i < peer.Length; i++)
        {
            double scale = Math.Max(Math.Abs(peer[i]), Math.Abs(exact[i]));
            double difference = scale == 0 ? 0 : Math.Abs(peer[i] - exact[i]) / scale;
            difference = double.IsNaN(difference) ? double.PositiveInfinity : difference;
            worstWithTies = Math.Max(worstWithTies, difference);
            if (!ties[i])
            {
                worst = Math.Max(worst, difference);
                compared++;
            }
        }
        return new PeerRow.Agreement(worst, Tolerance, compared, peer.Length - compared, compared > 0 && worst <= Tolerance, worstWithTies);
    }

    private IReadOnlyList<PeerRow> Unmeasured(string spec, string status, double batchedTarget, string? torch) =>
    [
        PeerRow.Unmeasured(PeerRow.BatchedName, spec, status, batchedTarget, torch, _threads),
        PeerRow.Unmeasured(PeerRow.LoopName, spec, status, LoopTarget, torch, _threads),
    ];

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : Quantile.OfSorted(sorted, 0.5);
    }
}

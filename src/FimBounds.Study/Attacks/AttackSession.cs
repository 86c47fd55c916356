using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Training.Attacks;
using FimBounds.Zoo;
using static TorchSharp.torch;

namespace FimBounds.Study.Attacks;

/// <summary>
/// `attack`'s workflow: a trained checkpoint and the test split it is attacked on, then an attack and
/// optionally every input's minimal ε, each with its own progress (the caller prints between them).
/// </summary>
public sealed class AttackSession(IModelSpec spec, nn.Module<Tensor, Tensor> network, CheckpointMetadata checkpoint, LoadedData data, int count)
    : IDisposable
{
    public IModelSpec Spec => spec;

    public CheckpointMetadata Checkpoint => checkpoint;

    public LoadedData Data => data;

    /// <summary>How many test images are attacked: the first ones, at most the split's size.</summary>
    public int Count => count;

    /// <summary>The request's spec (from the zoo or its --specs assembly), checkpoint and test split; its sample count clipped to the split.</summary>
    public static AttackSession Open(AttackRequest request)
    {
        IModelSpec spec = new SpecCatalog(ZooCatalog.All, request.Specs).Find(request.Spec);
        LoadedData loaded = DatasetLoader.Load(request.Data);
        var (network, metadata) = Nn.Checkpoints.Checkpoint.Load(request.Checkpoint, spec);
        return new AttackSession(spec, network, metadata, loaded, Math.Min(request.Samples, loaded.Test.Count));
    }

    public AttackReport Attack(AttackSettings settings, IProgress<AttackProgress>? progress, CancellationToken cancellation) =>
        AttackRunner.Run(network, Data.Test, settings, Count, progress: progress, cancellationToken: cancellation);

    public MinimalEpsilonReport MinimalEpsilon(MinimalEpsilonOptions options, IProgress<AttackProgress>? progress, CancellationToken cancellation) =>
        Training.Attacks.MinimalEpsilon.Search(network, Data.Test, options, Count, progress, cancellation);

    /// <summary>The JSON document of the run (field names are a contract).</summary>
    public AttackDocument Document(AttackReport attack, MinimalEpsilonReport? minimalEpsilon) =>
        new(Spec.Name, Checkpoint, Data.Source, attack, minimalEpsilon);

    public void Dispose() => network.Dispose();
}

using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using static TorchSharp.torch;

namespace FimBounds.Training;

/// <summary>A model with its weights (in eval mode) and what is known about how it was trained. Owns the module.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel(IModelSpec spec, nn.Module<Tensor, Tensor> model, CheckpointMetadata metadata, IReadOnlyList<EpochSummary> history, bool fromCache)
    {
        Spec = spec;
        Model = model;
        Metadata = metadata;
        History = history;
        FromCache = fromCache;
    }

    public IModelSpec Spec { get; }

    public nn.Module<Tensor, Tensor> Model { get; }

    public CheckpointMetadata Metadata { get; }

    /// <summary>Per-epoch summaries (empty when loaded from a checkpoint).</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>True when the weights came from <see cref="CheckpointStore"/> instead of a fresh run.</summary>
    public bool FromCache { get; }

    public double TestAccuracy => Metadata.TestAccuracy ?? double.NaN;

    /// <summary>Writes the weights and metadata as one checkpoint file, atomically.</summary>
    public void Save(string path) => Checkpoint.Save(path, Model, Metadata);

    public void Dispose() => Model.Dispose();
}

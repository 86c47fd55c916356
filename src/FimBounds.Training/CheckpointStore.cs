using System.Security.Cryptography;
using System.Text;
using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;

namespace FimBounds.Training;

/// <summary>
/// A directory of trained models keyed by what determines the weights: the spec's name and structure
/// hash, the training options' canonical text and the training data's content hash. A repeated request
/// (e.g. `fimbounds demo` run twice) loads the checkpoint instead of training again; a changed spec,
/// option or dataset gets a different key, so a stale model is never reused. Files are written
/// atomically, so an interrupted run leaves either no file or a whole one.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>The default cache directory, relative to the working directory (ignored by git).</summary>
    public const string DefaultDirectory = ".fimbounds-cache/checkpoints";

    public CheckpointStore(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The cache key: 16 hex digits of SHA-256 over everything that determines the weights.</summary>
    public static string Key(IModelSpec spec, ImageDataset train, TrainingOptions options)
    {
        string text = string.Join("\n", spec.Name, StructureHash.Of(spec.Description), options.CanonicalText(), train.ContentHash());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    public string PathFor(IModelSpec spec, ImageDataset train, TrainingOptions options) =>
        Path.Combine(Directory, $"{spec.Name}-{options.AdversarialName}-{Key(spec, train, options)}.ckpt");

    /// <summary>The cached model, or null when there is none (or the cached file is unreadable).</summary>
    public TrainedModel? TryLoad(IModelSpec spec, ImageDataset train, TrainingOptions options)
    {
        string path = PathFor(spec, train, options);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var (model, metadata) = Checkpoint.Load(path, spec);
            if (metadata.TrainingOptions != options.CanonicalText())
            {
                model.Dispose();
                return null;
            }
            return new TrainedModel(spec, model, metadata, [], fromCache: true);
        }
        catch (InputException)
        {
            // A damaged cache entry is not the user's problem: train again and overwrite it.
            return null;
        }
    }

    /// <summary>The cached model when there is one, else a freshly trained one, saved into the cache.</summary>
    public TrainedModel GetOrTrain(
        IModelSpec spec, ImageDataset train, ImageDataset test, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        TrainedModel? cached = TryLoad(spec, train, options);
        if (cached is not null)
        {
            return cached;
        }
        TrainedModel trained = Trainer.Train(spec, train, test, options, progress, cancellationToken);
        trained.Save(PathFor(spec, train, options));
        return trained;
    }
}

using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Training;

namespace FimBounds.Study.Models;

/// <summary>
/// Trains a model or loads it from the checkpoint cache (<see cref="CheckpointStore"/>'s keys and layout).
/// Unlike the store's silent retrain, a damaged cached file here is the user's to know about: it stops
/// the run with the file's name and the fix, so a broken cache never passes unnoticed.
/// </summary>
public sealed class CheckpointCache
{
    private readonly CheckpointStore _store;

    private CheckpointCache(CheckpointStore store) => _store = store;

    public string Directory => _store.Directory;

    /// <param name="directory">The cache directory.</param>
    /// <param name="mustExist">True when the user named it (--checkpoints): a missing directory is then a mistake, not a fresh cache.</param>
    public static CheckpointCache Open(string directory, bool mustExist)
    {
        if (File.Exists(directory))
        {
            throw new InputException($"--checkpoints {directory} is a file, not a directory; pass a directory (or omit --checkpoints to use {CheckpointStore.DefaultDirectory}).");
        }
        if (mustExist && !System.IO.Directory.Exists(directory))
        {
            throw new InputException($"checkpoint directory {directory} does not exist; create it (mkdir -p {directory}) or omit --checkpoints to use {CheckpointStore.DefaultDirectory}.");
        }
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the checkpoint directory {directory} ({e.Message}); pass a writable directory with --checkpoints.", e);
        }
        return new CheckpointCache(new CheckpointStore(directory));
    }

    public string PathFor(IModelSpec spec, ImageDataset train, TrainingOptions options) => _store.PathFor(spec, train, options);

    /// <summary>Whether the model is cached (its file exists; whether it is readable is found out on loading).</summary>
    public bool Holds(IModelSpec spec, ImageDataset train, TrainingOptions options) => File.Exists(PathFor(spec, train, options));

    /// <summary>The cached model when its file exists (damaged → <see cref="InputException"/>), else a freshly trained and saved one.</summary>
    public TrainedModel GetOrTrain(
        IModelSpec spec, ImageDataset train, ImageDataset test, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        string path = PathFor(spec, train, options);
        if (Holds(spec, train, options))
        {
            try
            {
                var (model, metadata) = Checkpoint.Load(path, spec);
                return new TrainedModel(spec, model, metadata, [], fromCache: true);
            }
            catch (InputException e)
            {
                throw new InputException($"cached checkpoint {path} is damaged: {e.Message} Delete the file (or the whole cache directory {Directory}) and run again to retrain.", e);
            }
        }
        TrainedModel trained = Trainer.Train(spec, train, test, options, progress, cancellation);
        try
        {
            trained.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            trained.Dispose();
            throw new InputException($"cannot write checkpoint {path} ({e.Message}); pass a writable directory with --checkpoints.", e);
        }
        return trained;
    }
}

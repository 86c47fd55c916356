using FimBounds.Tests.Shared;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests.Training;

/// <summary>
/// One short `fimbounds train` run whose checkpoint the attack tests share: vgg-mini, one epoch on 512
/// images, one thread, seed 7 (a few seconds).
/// </summary>
public sealed class TrainedCheckpointFixture : IDisposable
{
    public TrainedCheckpointFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fimbounds-train-").FullName;
        Checkpoint = Path.Combine(Directory, "vgg-mini.ckpt");
        Result = Run("train", "vgg-mini", "--epochs", "1", "--samples", "512", "--threads", "1", "--seed", "7", "--out", Checkpoint);
    }

    public string Directory { get; }

    public string Checkpoint { get; }

    public CliResult Result { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

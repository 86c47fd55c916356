using System.CommandLine;
using FimBounds.Data;

namespace FimBounds.Cli.Commands;

/// <summary>The --data option every data-consuming command shares.</summary>
internal static class DataOptions
{
    public static Option<string?> CreateDataOption() => new("--data")
    {
        Description =
            $"Dataset: omit (or '{DatasetLoader.Embedded}') for the embedded Fashion-MNIST subset, " +
            $"'{DatasetLoader.InstalledFashionMnist}' for {FashionMnist.DebianDirectory}, or a directory with Fashion-MNIST IDX files or CIFAR-10 binary batches.",
    };
}

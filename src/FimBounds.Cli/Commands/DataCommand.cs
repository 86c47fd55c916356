using System.CommandLine;
using FimBounds.Data;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds data make-subset`: draws the embedded Fashion-MNIST subset from the full set;
/// `fimbounds data info`: what a --data source holds (class balance, pixel statistics).
/// </summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Datasets: make the embedded Fashion-MNIST subset, or inspect a --data source.");
        command.Subcommands.Add(CreateMakeSubset());
        command.Subcommands.Add(CreateInfo());
        return command;
    }

    private static Command CreateMakeSubset()
    {
        var source = new Option<string>("--source")
        {
            Description = "Directory with the full Fashion-MNIST IDX files (raw or .gz).",
            DefaultValueFactory = _ => FashionMnist.DebianDirectory,
        };
        var output = new Option<string>("--out")
        {
            Description = "Directory to write the subset's four IDX .gz files to (run from the repository root to refresh the embedded copy).",
            DefaultValueFactory = _ => Path.Combine("src", "FimBounds.Data", "Embedded"),
        };
        var trainPerClass = new Option<int>("--train-per-class")
        {
            Description = "Training images per class.",
            DefaultValueFactory = _ => EmbeddedSubset.TrainPerClass,
        };
        var testPerClass = new Option<int>("--test-per-class")
        {
            Description = "Test images per class.",
            DefaultValueFactory = _ => EmbeddedSubset.TestPerClass,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of the stratified draw.",
            DefaultValueFactory = _ => EmbeddedSubset.Seed,
        };
        var command = new Command("make-subset", "Draw the stratified Fashion-MNIST subset that is embedded in the tool (see src/FimBounds.Data/Embedded/README.md).")
        {
            source, output, trainPerClass, testPerClass, seed,
        };
        command.SetAction(parse =>
        {
            TextWriter console = parse.InvocationConfiguration.Output;
            int perClassTrain = parse.GetValue(trainPerClass);
            int perClassTest = parse.GetValue(testPerClass);
            if (perClassTrain <= 0 || perClassTest <= 0)
            {
                throw new Core.Errors.UsageException("--train-per-class and --test-per-class must be positive.");
            }
            string outDirectory = parse.GetValue(output)!;
            (ImageDataset train, ImageDataset test) = EmbeddedSubset.Make(parse.GetValue(source)!, outDirectory, perClassTrain, perClassTest, parse.GetValue(seed));
            console.WriteLine($"Wrote {train.Count} training and {test.Count} test images ({perClassTrain}/{perClassTest} per class, seed {parse.GetValue(seed)}) to {outDirectory}:");
            foreach (string file in Directory.GetFiles(outDirectory, "*.gz").Order(StringComparer.Ordinal))
            {
                console.WriteLine($"  {Path.GetFileName(file),-30} {new FileInfo(file).Length / 1024.0,8:F1} KiB");
            }
            console.WriteLine("Keep Fashion-MNIST's LICENSE beside the files; rebuild to embed them.");
            return 0;
        });
        return command;
    }

    private static Command CreateInfo()
    {
        var data = DataOptions.CreateDataOption();
        var command = new Command("info", "Show what a dataset source holds: counts per class and pixel statistics.") { data };
        command.SetAction(parse =>
        {
            TextWriter console = parse.InvocationConfiguration.Output;
            LoadedData loaded = DatasetLoader.Load(parse.GetValue(data));
            console.WriteLine(loaded.Source);
            foreach (ImageDataset split in new[] { loaded.Train, loaded.Test })
            {
                console.WriteLine($"  {split}");
                int[] counts = split.ClassCounts();
                console.WriteLine("    per class: " + string.Join(", ", counts.Select((c, i) => $"{split.ClassNames[i]} {c}")));
                console.WriteLine($"    pixel statistics: {Normalization.Measure(split)}");
            }
            return 0;
        });
        return command;
    }
}

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
        command.Subcommands.Add(MakeSubset.Create());
        command.Subcommands.Add(Info.Create());
        return command;
    }

    /// <summary>`data make-subset`.</summary>
    public static class MakeSubset
    {
        private static readonly Option<string> Source = new("--source")
        {
            Description = "Directory with the full Fashion-MNIST IDX files (raw or .gz).",
            DefaultValueFactory = _ => FashionMnist.DebianDirectory,
        };

        private static readonly Option<string> Out = new("--out")
        {
            Description = "Directory to write the subset's four IDX .gz files to (run from the repository root to refresh the embedded copy).",
            DefaultValueFactory = _ => Path.Combine("src", "FimBounds.Data", "Embedded"),
        };

        private static readonly Option<int> TrainPerClass = new Option<int>("--train-per-class")
        {
            Description = "Training images per class.",
            DefaultValueFactory = _ => EmbeddedSubset.TrainPerClass,
        }.Positive();

        private static readonly Option<int> TestPerClass = new Option<int>("--test-per-class")
        {
            Description = "Test images per class.",
            DefaultValueFactory = _ => EmbeddedSubset.TestPerClass,
        }.Positive();

        private static readonly Option<long> Seed = new("--seed")
        {
            Description = "Seed of the stratified draw.",
            DefaultValueFactory = _ => EmbeddedSubset.Seed,
        };

        public static Command Create()
        {
            var command = new Command("make-subset", "Draw the stratified Fashion-MNIST subset that is embedded in the tool (see src/FimBounds.Data/Embedded/README.md).");
            foreach (Option option in new Option[] { Source, Out, TrainPerClass, TestPerClass, Seed })
            {
                command.Options.Add(option);
            }
            command.SetAction(parse => Run(parse.GetValue(Source)!, parse.GetValue(Out)!, parse.GetValue(TrainPerClass), parse.GetValue(TestPerClass),
                parse.GetValue(Seed), parse.InvocationConfiguration.Output));
            return command;
        }

        public static int Run(string source, string outDirectory, int trainPerClass, int testPerClass, long seed, TextWriter output)
        {
            (ImageDataset train, ImageDataset test) = EmbeddedSubset.Make(source, outDirectory, trainPerClass, testPerClass, seed);
            output.WriteLine($"Wrote {train.Count} training and {test.Count} test images ({trainPerClass}/{testPerClass} per class, seed {seed}) to {outDirectory}:");
            foreach (string file in Directory.GetFiles(outDirectory, "*.gz").Order(StringComparer.Ordinal))
            {
                output.WriteLine($"  {Path.GetFileName(file),-30} {new FileInfo(file).Length / 1024.0,8:F1} KiB");
            }
            output.WriteLine("Keep Fashion-MNIST's LICENSE beside the files; rebuild to embed them.");
            return 0;
        }
    }

    /// <summary>`data info`.</summary>
    public static class Info
    {
        private static readonly Option<string?> Data = DataOptions.CreateDataOption();

        public static Command Create()
        {
            var command = new Command("info", "Show what a dataset source holds: counts per class and pixel statistics.");
            command.Options.Add(Data);
            command.SetAction(parse => Run(parse.GetValue(Data), parse.InvocationConfiguration.Output));
            return command;
        }

        public static int Run(string? data, TextWriter output)
        {
            LoadedData loaded = DatasetLoader.Load(data);
            output.WriteLine(loaded.Source);
            foreach (ImageDataset split in new[] { loaded.Train, loaded.Test })
            {
                output.WriteLine($"  {split}");
                int[] counts = split.ClassCounts();
                output.WriteLine("    per class: " + string.Join(", ", counts.Select((c, i) => $"{split.ClassNames[i]} {c}")));
                output.WriteLine($"    pixel statistics: {Normalization.Measure(split)}");
            }
            return 0;
        }
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FimBounds.Cli.Rendering;
using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Nn.Specs;
using FimBounds.Study.Progress;
using FimBounds.Training;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds train &lt;spec&gt;`: cross-entropy training of a zoo spec on the embedded Fashion-MNIST subset (or
/// --data), optionally PGD adversarial training; writes one checkpoint file with the training metadata.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        var spec = new Argument<string>("spec") { Description = "The zoo spec to train (see 'fimbounds list'), e.g. vgg-mini." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => defaults.Epochs };
        var samples = new Option<int?>("--samples") { Description = "Train on the first N training images (default: all)." };
        var adversarial = new Option<string>("--adversarial")
        {
            Description = "Adversarial training: none, or pgd (PGD-L∞ at ε = 8/255 on every batch).",
            DefaultValueFactory = _ => "none",
        };
        adversarial.AcceptOnlyFromAmong("none", "pgd");
        var seed = new Option<long>("--seed") { Description = "Seed of initialisation, shuffling and PGD starts.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Checkpoint file to write (default: <spec>.ckpt or <spec>-pgd.ckpt)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam or sgd.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "sgd");
        var learningRate = new Option<double?>("--lr") { Description = $"Peak learning rate (default {defaults.LearningRate.ToString(CultureInfo.InvariantCulture)} for Adam, 0.05 for SGD)." };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: onecycle, cosine or constant.", DefaultValueFactory = _ => "onecycle" };
        schedule.AcceptOnlyFromAmong("onecycle", "cosine", "constant");
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (fixed for reproducible runs).", DefaultValueFactory = _ => defaults.Threads };
        var data = DataOptions.CreateDataOption();

        var command = new Command("train", "Train a spec (standard or PGD adversarial) and write a checkpoint.")
        {
            spec, epochs, samples, adversarial, seed, output, optimizer, learningRate, schedule, batchSize, threads, data, SpecSource.SpecsOption(),
        };
        command.SetAction((parse, cancellation) =>
        {
            TextWriter console = parse.InvocationConfiguration.Output;
            IModelSpec model = SpecSource.Spec(parse, parse.GetValue(spec)!);
            bool sgd = parse.GetValue(optimizer) == "sgd";
            var options = new TrainingOptions
            {
                Epochs = UsageChecks.Positive(parse.GetValue(epochs), "--epochs"),
                Samples = UsageChecks.PositiveOrNull(parse.GetValue(samples), "--samples"),
                Adversarial = parse.GetValue(adversarial) == "pgd" ? AdversarialTraining.Pgd : AdversarialTraining.None,
                Seed = parse.GetValue(seed),
                Optimizer = sgd ? OptimizerKind.Sgd : OptimizerKind.Adam,
                LearningRate = parse.GetValue(learningRate) ?? (sgd ? 0.05 : defaults.LearningRate),
                Schedule = parse.GetValue(schedule) switch
                {
                    "cosine" => LearningRateSchedule.Cosine,
                    "constant" => LearningRateSchedule.Constant,
                    _ => LearningRateSchedule.OneCycle,
                },
                BatchSize = UsageChecks.Positive(parse.GetValue(batchSize), "--batch-size"),
                Threads = UsageChecks.Positive(parse.GetValue(threads), "--threads"),
            };
            if (!(options.LearningRate > 0))
            {
                throw new UsageException("--lr must be a positive number.");
            }
            string path = parse.GetValue(output) ?? $"{model.Name}{(options.Adversarial == AdversarialTraining.Pgd ? "-pgd" : "")}.ckpt";

            LoadedData loaded = DatasetLoader.Load(parse.GetValue(data));
            int trainCount = Math.Min(options.Samples ?? loaded.Train.Count, loaded.Train.Count);
            console.WriteLine($"Training {model.Name} ({model.Description.Parameters:N0} parameters) on {trainCount} images of the {loaded.Source}, " +
                              $"{options.Epochs} epochs, {(options.Adversarial == AdversarialTraining.Pgd ? $"PGD-{options.AdversarialSteps} adversarial training at ε = 8/255" : "standard training")}, seed {options.Seed}.");

            var clock = Stopwatch.StartNew();
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            using TrainedModel trained = ProgressReporting.Run(console, $"{model.Name}", options.Epochs * Math.Ceiling(trainCount / (double)options.BatchSize), bar =>
                Trainer.Train(model, loaded.Train, loaded.Test, options, new SynchronousProgress<TrainingProgress>(p =>
                {
                    bar.Update(p.TotalStep, $"{model.Name} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} train acc {p.TrainAccuracy:P1}" +
                                            (p.TestAccuracy is { } test ? $" test acc {test:P1}" : ""));
                    if (p.TestAccuracy is { } accuracy && !Terminal.IsInteractive(console))
                    {
                        console.WriteLine($"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4}, train accuracy {p.TrainAccuracy:P1}, test accuracy {accuracy:P1} ({p.Elapsed.TotalSeconds:F1} s)");
                    }
                }), cancellation));
            double seconds = clock.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

            trained.Save(path);
            console.WriteLine($"{model.Name}: test accuracy {trained.TestAccuracy:P1} on {loaded.Test.Count} test images after {options.Epochs} epochs, " +
                              $"{seconds:F1} s wall ({cpu:F1} s CPU, {options.Threads} threads).");
            console.WriteLine($"Checkpoint: {path} (structure {trained.Metadata.StructureHash[..19]}…)");
            return Task.FromResult(0);
        });
        return command;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FimBounds.Cli.Rendering;
using FimBounds.Data;
using FimBounds.Nn.Specs;
using FimBounds.Study.Models;
using FimBounds.Study.Progress;
using FimBounds.Training;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds train &lt;spec&gt;`: cross-entropy training of a zoo spec on the embedded Fashion-MNIST subset (or
/// --data), optionally PGD adversarial training; writes one checkpoint file with the training metadata.
/// </summary>
public static class TrainCommand
{
    private static readonly TrainingOptions Defaults = new();

    private static readonly Argument<string> Spec = new("spec") { Description = "The zoo spec to train (see 'fimbounds list'), e.g. vgg-mini." };

    private static readonly Option<int> Epochs = new Option<int>("--epochs")
    {
        Description = "Passes over the training data.",
        DefaultValueFactory = _ => Defaults.Epochs,
    }.Positive();

    private static readonly Option<int?> Samples = new Option<int?>("--samples") { Description = "Train on the first N training images (default: all)." }.Positive();

    private static readonly Option<string> Adversarial = new Option<string>("--adversarial")
    {
        Description = "Adversarial training: none, or pgd (PGD-L∞ at ε = 8/255 on every batch).",
        DefaultValueFactory = _ => "none",
    }.OneOf("none", "pgd");

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of initialisation, shuffling and PGD starts.", DefaultValueFactory = _ => 0 };

    private static readonly Option<string?> Out = new("--out") { Description = "Checkpoint file to write (default: <spec>.ckpt or <spec>-pgd.ckpt)." };

    private static readonly Option<string> Optimizer = new Option<string>("--optimizer") { Description = "adam or sgd.", DefaultValueFactory = _ => "adam" }.OneOf("adam", "sgd");

    private static readonly Option<double?> LearningRate = new Option<double?>("--lr")
    {
        Description = $"Peak learning rate (default {Defaults.LearningRate.ToString(CultureInfo.InvariantCulture)} for Adam, 0.05 for SGD).",
    }.PositiveReal("e.g. 0.003");

    private static readonly Option<string> Schedule = new Option<string>("--schedule")
    {
        Description = "Learning-rate schedule: onecycle, cosine or constant.",
        DefaultValueFactory = _ => "onecycle",
    }.OneOf("onecycle", "cosine", "constant");

    private static readonly Option<int> BatchSize = new Option<int>("--batch-size")
    {
        Description = "Images per step.",
        DefaultValueFactory = _ => Defaults.BatchSize,
    }.Positive();

    private static readonly Option<int> Threads = new Option<int>("--threads")
    {
        Description = "libtorch threads (fixed for reproducible runs).",
        DefaultValueFactory = _ => Defaults.Threads,
    }.Positive();

    private static readonly Option<string?> Data = DataOptions.CreateDataOption();

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("train", "Train a spec (standard or PGD adversarial) and write a checkpoint.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { Epochs, Samples, Adversarial, Seed, Out, Optimizer, LearningRate, Schedule, BatchSize, Threads, Data, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            new TrainSettings(parse.GetValue(Spec)!, Options(parse), parse.GetValue(Out), parse.GetValue(Data), parse.GetValue(Specs)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    /// <summary>The training options as parsed; the learning rate's default depends on the optimizer.</summary>
    private static TrainingOptions Options(ParseResult parse)
    {
        bool sgd = parse.GetValue(Optimizer) == "sgd";
        return new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs),
            Samples = parse.GetValue(Samples),
            Adversarial = parse.GetValue(Adversarial) == "pgd" ? AdversarialTraining.Pgd : AdversarialTraining.None,
            Seed = parse.GetValue(Seed),
            Optimizer = sgd ? OptimizerKind.Sgd : OptimizerKind.Adam,
            LearningRate = parse.GetValue(LearningRate) ?? (sgd ? 0.05 : Defaults.LearningRate),
            Schedule = parse.GetValue(Schedule) switch
            {
                "cosine" => LearningRateSchedule.Cosine,
                "constant" => LearningRateSchedule.Constant,
                _ => LearningRateSchedule.OneCycle,
            },
            BatchSize = parse.GetValue(BatchSize),
            Threads = parse.GetValue(Threads),
        };
    }

    public static int Run(TrainSettings settings, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        IModelSpec model = SpecSource.Spec(settings.Specs, settings.Spec);
        TrainingOptions options = settings.Options;
        string path = settings.CheckpointPath(model.Name);

        LoadedData loaded = DatasetLoader.Load(settings.Data);
        int trainCount = Math.Min(options.Samples ?? loaded.Train.Count, loaded.Train.Count);
        output.WriteLine($"Training {model.Name} ({model.Description.Parameters:N0} parameters) on {trainCount} images of the {loaded.Source}, " +
                         $"{options.Epochs} epochs, {(options.Adversarial == AdversarialTraining.Pgd ? $"PGD-{options.AdversarialSteps} adversarial training at ε = 8/255" : "standard training")}, seed {options.Seed}.");

        var clock = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using TrainedModel trained = ProgressReporting.Run(output, $"{model.Name}", options.Epochs * Math.Ceiling(trainCount / (double)options.BatchSize), bar =>
            Trainer.Train(model, loaded.Train, loaded.Test, options, new SynchronousProgress<TrainingProgress>(p =>
            {
                bar.Update(p.TotalStep, $"{model.Name} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} train acc {p.TrainAccuracy:P1}" +
                                        (p.TestAccuracy is { } test ? $" test acc {test:P1}" : ""));
                if (p.TestAccuracy is { } accuracy && !Terminal.IsInteractive(output))
                {
                    output.WriteLine($"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4}, train accuracy {p.TrainAccuracy:P1}, test accuracy {accuracy:P1} ({p.Elapsed.TotalSeconds:F1} s)");
                }
            }), cancellation));
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

        trained.Save(path);
        output.WriteLine($"{model.Name}: test accuracy {trained.TestAccuracy:P1} on {loaded.Test.Count} test images after {options.Epochs} epochs, " +
                         $"{seconds:F1} s wall ({cpu:F1} s CPU, {options.Threads} threads).");
        output.WriteLine($"Checkpoint: {path} (structure {trained.Metadata.StructureHash[..19]}…)");
        return 0;
    }
}

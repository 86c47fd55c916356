using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;
using System.Diagnostics;
using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using FimBounds.Torch;
using FimBounds.Training.Attacks;
using FimBounds.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Training;

/// <summary>
/// Cross-entropy training of any spec on pixel inputs in [0,1] (the spec normalises internally), with
/// Adam or SGD, a learning-rate schedule and optional PGD adversarial training. Deterministic for a
/// seed: initialisation and dropout draw from a stream of libtorch's default generator seeded with it
/// (<see cref="DefaultGeneratorStream"/>, so models trained side by side on other threads draw the same
/// numbers as one trained alone), a fixed libtorch thread count, seeded shuffles (SplitMix64) and a seeded
/// generator for PGD's random starts.
/// </summary>
public static class Trainer
{
    public static TrainedModel Train(
        IModelSpec spec, ImageDataset train, ImageDataset test, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        CheckCompatible(spec, train);
        CheckCompatible(spec, test);
        using var work = CurrentWork.Begin(options.Adversarial == AdversarialTraining.Pgd ? $"PGD-training {spec.Name}" : $"training {spec.Name}");
        ImageDataset trainingSet = train.Take(options.Samples);
        if (trainingSet.Count == 0)
        {
            throw new ArgumentException("the training split is empty");
        }

        using var threads = IntraOpThreads.Set(options.Threads);
        using var randomness = new DefaultGeneratorStream(options.Seed);
        var clock = Stopwatch.StartNew();
        nn.Module<Tensor, Tensor> model = randomness.Use(spec.CreateModel);
        try
        {
            // Only dropout draws while training (initialisation aside): other models' steps need no turn on the generator.
            DefaultGeneratorStream? dropout = spec.Description.PrimitiveLayers().Any(l => l is Dropout { Probability: > 0 }) ? randomness : null;
            var history = RunEpochs(model, trainingSet, test, options, dropout, progress, clock, cancellationToken);
            model.eval();
            double testAccuracy = history.Count > 0 ? history[^1].TestAccuracy : Evaluation.Accuracy(model, test, options.TestSamples);
            var metadata = new CheckpointMetadata
            {
                SpecName = spec.Name,
                StructureHash = StructureHash.Of(spec.Description),
                AdversarialTraining = options.AdversarialName,
                Epochs = options.Epochs,
                TrainingSamples = trainingSet.Count,
                TestAccuracy = testAccuracy,
                Seed = options.Seed,
                Dataset = train.Name,
                TrainingOptions = options.CanonicalText(),
                TrainingSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
                WrittenBy = Checkpoint.WriterVersion,
            };
            return new TrainedModel(spec, model, metadata, history, fromCache: false);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static List<EpochSummary> RunEpochs(
        nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset test, TrainingOptions options, DefaultGeneratorStream? dropout,
        IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        int stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        int totalSteps = stepsPerEpoch * options.Epochs;
        using optim.Optimizer optimizer = options.Optimizer == OptimizerKind.Adam
            ? new OwnedScalarAdam(model.parameters(), options.LearningRate, options.WeightDecay)
            : new OwnedScalarSgd(model.parameters(), options.LearningRate, options.Momentum, options.WeightDecay);
        optim.lr_scheduler.LRScheduler? scheduler = options.Schedule switch
        {
            LearningRateSchedule.Cosine => optim.lr_scheduler.CosineAnnealingLR(optimizer, totalSteps),
            LearningRateSchedule.OneCycle => optim.lr_scheduler.OneCycleLR(optimizer, options.LearningRate, total_steps: totalSteps,
                cycle_momentum: options.Optimizer == OptimizerKind.Sgd),
            _ => null,
        };
        using Attack? adversary = options.Adversarial == AdversarialTraining.Pgd
            ? Attack.Create(AttackSettings.Pgd(options.AdversarialEpsilon, options.EffectiveAdversarialStepSize, options.AdversarialSteps) with { Seed = options.Seed + 1 })
            : null;
        var shuffle = new DeterministicRandom(options.Seed);
        var history = new List<EpochSummary>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            int[] order = shuffle.Permutation(train.Count);
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                ReadOnlySpan<int> batch = order.AsSpan(step * options.BatchSize, Math.Min(options.BatchSize, train.Count - step * options.BatchSize));
                Tensor x = train.Images(batch);
                Tensor y = train.Labels(batch);
                if (adversary is not null)
                {
                    // Madry et al.: train on the worst case in the ε-ball (found in eval mode, so the
                    // attack's forward passes leave BatchNorm's running statistics alone).
                    x = adversary.Perturb(model, x, y);
                }
                model.train();
                optimizer.zero_grad();
                Tensor logits = dropout is null ? model.call(x) : dropout.Use(() => model.call(x));
                Tensor loss = nn.functional.cross_entropy(logits, y);
                loss.backward();
                optimizer.step();
                scheduler?.step();

                lossSum += loss.ToDouble() * batch.Length;
                correct += (int)logits.argmax(1).eq(y).sum().item<long>();
                seen += batch.Length;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, step + 1, stepsPerEpoch, lossSum / seen, (double)correct / seen,
                    null, CurrentLearningRate(optimizer), clock.Elapsed));
            }
            double testAccuracy = Evaluation.Accuracy(model, test, options.TestSamples, cancellationToken: cancellationToken);
            history.Add(new EpochSummary(epoch, lossSum / seen, (double)correct / seen, testAccuracy, epochClock.Elapsed.TotalSeconds));
            progress?.Report(new TrainingProgress(epoch, options.Epochs, stepsPerEpoch, stepsPerEpoch, lossSum / seen, (double)correct / seen,
                testAccuracy, CurrentLearningRate(optimizer), clock.Elapsed));
        }
        model.eval();
        return history;
    }

    private static double CurrentLearningRate(optim.Optimizer optimizer) =>
        optimizer.ParamGroups.FirstOrDefault()?.LearningRate ?? double.NaN;

    private static void CheckCompatible(IModelSpec spec, ImageDataset data)
    {
        var input = spec.Description.Input;
        if (input.Rank != 3 || input[0] != data.Channels || input[1] != data.Height || input[2] != data.Width)
        {
            throw new Core.Errors.InputException(
                $"{spec.Name} takes {input} inputs but {data.Name} holds {data.Channels}×{data.Height}×{data.Width} images; " +
                "pick a spec made for this dataset (the mini zoo models take Fashion-MNIST's 1×28×28).");
        }
        if (spec.Description.Classes != data.Classes)
        {
            throw new Core.Errors.InputException(
                $"{spec.Name} has {spec.Description.Classes} output classes but {data.Name} has {data.Classes}; pick a spec made for this dataset.");
        }
    }
}

using System.Globalization;
using System.Text;

namespace FimBounds.Training;

public enum OptimizerKind
{
    Adam,
    Sgd,
}

public enum LearningRateSchedule
{
    Constant,
    Cosine,
    /// <summary>Warm up to the learning rate over the first 30 % of steps, then anneal (cosine) to ~0.</summary>
    OneCycle,
}

public enum AdversarialTraining
{
    None,
    /// <summary>Madry et al.: every batch is replaced by its PGD-L∞ adversarial examples.</summary>
    Pgd,
}

/// <summary>
/// Everything that determines a training run. Two runs with equal options, spec and data produce the
/// same weights (seeded initialisation and shuffles, a fixed thread count), which is what lets
/// <see cref="CheckpointStore"/> key its cache on <see cref="CanonicalText"/>.
/// The defaults are sized for the mini zoo models on the embedded subset: a few tens of seconds each on
/// two cores, so the demo can train all eight (4 families × standard/PGD).
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 6;

    /// <summary>Train on the first N items of the training split (all when null).</summary>
    public int? Samples { get; init; }

    /// <summary>Measure test accuracy on the first N items of the test split (all when null).</summary>
    public int? TestSamples { get; init; }

    public int BatchSize { get; init; } = 64;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Peak learning rate (Adam's lr, or SGD's).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 0.0;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.OneCycle;

    public AdversarialTraining Adversarial { get; init; } = AdversarialTraining.None;

    /// <summary>L∞ budget of PGD training, pixel space (the evaluation attack's 8/255).</summary>
    public double AdversarialEpsilon { get; init; } = 8.0 / 255.0;

    /// <summary>PGD steps per batch during training (few: each step costs a forward and a backward pass).</summary>
    public int AdversarialSteps { get; init; } = 3;

    /// <summary>PGD step size during training; 2.5·ε/steps when null (reaches the boundary from any start).</summary>
    public double? AdversarialStepSize { get; init; }

    public long Seed { get; init; }

    /// <summary>libtorch intra-op threads: fixed, because reductions split differently per thread count.</summary>
    public int Threads { get; init; } = 2;

    public double EffectiveAdversarialStepSize => AdversarialStepSize ?? 2.5 * AdversarialEpsilon / Math.Max(1, AdversarialSteps);

    public string AdversarialName => Adversarial.ToString().ToLowerInvariant();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, "epochs must be at least 1");
        Require(Samples is null or > 0, "samples must be positive");
        Require(TestSamples is null or > 0, "test samples must be positive");
        Require(BatchSize >= 1, "batch size must be at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning rate must be positive");
        Require(Momentum is >= 0 and < 1, "momentum must be in [0, 1)");
        Require(WeightDecay >= 0, "weight decay must be non-negative");
        Require(AdversarialEpsilon >= 0 && double.IsFinite(AdversarialEpsilon), "adversarial epsilon must be non-negative");
        Require(AdversarialSteps >= 1, "adversarial steps must be at least 1");
        Require(Threads >= 1, "threads must be at least 1");
    }

    /// <summary>Every option in a fixed order with invariant formatting: equal text ⇔ equal runs.</summary>
    public string CanonicalText()
    {
        var text = new StringBuilder();
        void Add(string name, object? value) => text.Append(name).Append('=').Append(Format(value)).Append(';');
        Add("epochs", Epochs);
        Add("samples", Samples);
        Add("testSamples", TestSamples);
        Add("batch", BatchSize);
        Add("optimizer", Optimizer);
        Add("lr", LearningRate);
        Add("momentum", Optimizer == OptimizerKind.Sgd ? Momentum : null);
        Add("weightDecay", WeightDecay);
        Add("schedule", Schedule);
        Add("adversarial", Adversarial);
        if (Adversarial != AdversarialTraining.None)
        {
            Add("advEps", AdversarialEpsilon);
            Add("advSteps", AdversarialSteps);
            Add("advStep", EffectiveAdversarialStepSize);
        }
        Add("seed", Seed);
        Add("threads", Threads);
        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "all",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

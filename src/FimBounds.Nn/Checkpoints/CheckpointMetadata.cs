using System.Text.Json.Serialization;

namespace FimBounds.Nn.Checkpoints;

/// <summary>
/// What a checkpoint knows about its weights: which spec and structure they belong to and how they were
/// trained. Serialised as JSON in the checkpoint's header.
/// </summary>
public sealed record CheckpointMetadata
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The zoo name of the spec ("vgg-mini").</summary>
    public required string SpecName { get; init; }

    /// <summary><see cref="StructureHash.Of"/> of the spec's description at training time.</summary>
    public required string StructureHash { get; init; }

    /// <summary>"none" or "pgd" (adversarial training kind).</summary>
    public string AdversarialTraining { get; init; } = "none";

    public int Epochs { get; init; }

    public int TrainingSamples { get; init; }

    /// <summary>Clean accuracy on the test split after training (0…1), when measured.</summary>
    public double? TestAccuracy { get; init; }

    public long Seed { get; init; }

    /// <summary>The dataset the model was trained on ("fashion-mnist-subset/train").</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Canonical text of every training option, the cache key's source.</summary>
    public string TrainingOptions { get; init; } = "";

    /// <summary>Wall-clock training time (informational; not part of any key).</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>The state_dict file the weights were imported from ('fimbounds import'); null for trained weights.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImportedFrom { get; init; }

    /// <summary>The FimBounds version that wrote the checkpoint.</summary>
    public string WrittenBy { get; init; } = "";

    [JsonIgnore]
    public string Summary => ImportedFrom is not null ? $"{SpecName}, imported from {ImportedFrom}" :
        $"{SpecName}, {(AdversarialTraining == "none" ? "standard" : AdversarialTraining + "-trained")}, {Epochs} epochs on {TrainingSamples} samples" +
        (TestAccuracy is { } accuracy ? $", test accuracy {accuracy:P1}" : "");
}

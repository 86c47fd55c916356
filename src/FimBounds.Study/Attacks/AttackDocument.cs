using FimBounds.Nn.Checkpoints;
using FimBounds.Reports.Json;
using FimBounds.Training.Attacks;

namespace FimBounds.Study.Attacks;

/// <summary>
/// The JSON document `fimbounds attack --json` writes: the checkpoint, the data, every input's outcome
/// (<see cref="JsonPolicy"/>: an undefined rate or a censored minimal ε is null, "found" says which).
/// </summary>
public sealed record AttackDocument(string Spec, CheckpointMetadata Checkpoint, string Dataset, AttackReport Attack, MinimalEpsilonReport? MinimalEpsilon)
{
    public string ToJson() => JsonPolicy.Serialize(this) + "\n";
}

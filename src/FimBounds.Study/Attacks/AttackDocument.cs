using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FimBounds.Nn.Checkpoints;
using FimBounds.Training.Attacks;

namespace FimBounds.Study.Attacks;

/// <summary>The JSON document `fimbounds attack --json` writes: the checkpoint, the data, every input's outcome.</summary>
public sealed record AttackDocument(string Spec, CheckpointMetadata Checkpoint, string Dataset, AttackReport Attack, MinimalEpsilonReport? MinimalEpsilon)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + Environment.NewLine;
}

namespace FimBounds.Study.Measurement;

/// <summary>The options of one `fimbounds measure` run, as parsed.</summary>
public sealed record MeasureSettings(
    string Spec,
    string? Checkpoint,
    int Samples,
    string Method,
    long Seed,
    string? Json,
    long MaxMemory,
    string Precision,
    string Inputs = "data",
    string? Data = null,
    string? Specs = null);

namespace FimBounds.Reports.Model;

/// <summary>A bound factor beside its measured counterpart; Tightness = bound / measured (≥ 1 when sound).</summary>
public sealed record LayerReport(
    string Path,
    string Description,
    double BoundFactor,
    double? AttainedFactor,
    double? Tightness);

namespace FimBounds.Engine.Bounds;

/// <summary>
/// An assumption the bound rests on, with the value used and where it came from. <see cref="FromData"/>: the value
/// was measured on calibration inputs, so the bound holds at those inputs, not everywhere.
/// </summary>
public sealed record MeasuredAssumption(string Quantity, string LayerPath, double Value, string Source, bool FromData = false);

namespace FimBounds.Engine.Bounds;

/// <summary>An assumption the bound rests on, with the value used and where it came from.</summary>
public sealed record MeasuredAssumption(string Quantity, string LayerPath, double Value, string Source);

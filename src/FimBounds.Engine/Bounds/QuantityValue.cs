namespace FimBounds.Engine.Bounds;

/// <summary>A symbol of the bound with its value: [Attained, Value] as for <see cref="NumericFactor"/>.</summary>
public sealed record QuantityValue(string Symbol, string Quantity, string LayerPath, int? Head, double Value, double Attained);

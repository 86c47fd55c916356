namespace FimBounds.Spec;

public sealed class ReLUAttribute : LayerAttribute
{
}

public sealed class LeakyReLUAttribute : LayerAttribute
{
    public double NegativeSlope { get; set; } = 0.01;
}

public sealed class GELUAttribute : LayerAttribute
{
}

public sealed class TanhAttribute : LayerAttribute
{
}

public sealed class SigmoidAttribute : LayerAttribute
{
}

/// <summary>The non-linearity applied after a residual sum (<see cref="ResidualBlockAttribute.After"/>).</summary>
public enum Nonlinearity
{
    None,
    ReLU,
    LeakyReLU,
    GELU,
    Tanh,
    Sigmoid,
}

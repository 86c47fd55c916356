namespace FimBounds.Reports.Model;

/// <summary>
/// Where a model's tightness (global bound / largest measured λ_max) comes from, at the input with the
/// largest λ_max, as factors that multiply to it: <see cref="Softmax"/> (½ against λ_max(A(p)) there),
/// <see cref="Lipschitz"/> (L² against ‖PJ(x)‖², itself <see cref="Certificates"/> × <see cref="Composition"/>:
/// certified against attained layer norms, and the product of layer norms against the norm of the product
/// of the layers' Jacobians) and <see cref="Alignment"/> (λ_max(A)‖PJ‖² against λ_max(F)).
/// <see cref="Layers"/> are the primitive layers, the largest share of the bound first.
/// </summary>
public sealed record BoundLooseness(
    double Tightness,
    double Softmax,
    double ConfidenceAwareSoftmax,
    double Lipschitz,
    double? Certificates,
    double? Composition,
    double Alignment,
    IReadOnlyList<LayerLooseness> Layers)
{
    /// <summary>Softmax · Lipschitz · Alignment: equals <see cref="Tightness"/> up to rounding.</summary>
    public double Product => Softmax * Lipschitz * Alignment;
}

/// <summary>One primitive layer's certified factor, the factor its weights are known to attain, their ratio, and log₁₀ of the factor squared (its decades of the bound).</summary>
public sealed record LayerLooseness(string Path, string Kind, double Factor, double Attained, double? CertificateGap, double Log10Share);

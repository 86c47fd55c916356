using Microsoft.CodeAnalysis;

namespace FimBounds.Generators.Diagnostics;

/// <summary>Every diagnostic the spec generator reports. Ids are stable; new ones go to AnalyzerReleases.Unshipped.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FimBounds.Spec";

    /// <summary>FIMB001: the generator adds members to the spec class, so it must be declared partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = new(
        "FIMB001",
        "Architecture spec must be partial",
        "Architecture spec '{0}' must be declared 'partial' so the generator can add its model and bound; write 'public partial class {0}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB002: a layer does not fit the shape its predecessor produces.</summary>
    public static readonly DiagnosticDescriptor ShapeMismatch = new(
        "FIMB002",
        "Layer shapes do not fit",
        "Shape mismatch at {0}: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB003: an argument is missing, out of range, or contradicts another.</summary>
    public static readonly DiagnosticDescriptor InvalidParameter = new(
        "FIMB003",
        "Invalid layer parameter",
        "Invalid parameter at {0}: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB004: the classifier produces the logits, so nothing may follow it.</summary>
    public static readonly DiagnosticDescriptor LayerAfterClassifier = new(
        "FIMB004",
        "Layer after the classifier",
        "{0} follows the classifier; the classifier must be the last layer of the spec, so move it to the end or remove {0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB005: a block, stage or repetition without layers.</summary>
    public static readonly DiagnosticDescriptor EmptyBlock = new(
        "FIMB005",
        "Empty block",
        "{0} is empty: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB006: a construct the spec language does not support.</summary>
    public static readonly DiagnosticDescriptor Unsupported = new(
        "FIMB006",
        "Unsupported combination",
        "Unsupported combination at {0}: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB007: two layers of one container share a name (their state_dict keys would collide).</summary>
    public static readonly DiagnosticDescriptor DuplicateLayerName = new(
        "FIMB007",
        "Duplicate layer name",
        "Layer name '{0}' is used twice in '{1}'; state_dict keys must be unique, so rename one of them",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>FIMB008: two specs of one assembly share a command-line name.</summary>
    public static readonly DiagnosticDescriptor DuplicateSpecName = new(
        "FIMB008",
        "Duplicate spec name",
        "Spec name '{0}' is declared by both {1} and {2}; names must be unique in an assembly, so rename one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

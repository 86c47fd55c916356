using FimBounds.Core.Collections;

namespace FimBounds.Generators.Model;

/// <summary>One attribute of the spec language as written: its kind ("Conv2d", "Stage", "Repeat") and arguments.</summary>
internal sealed record LayerDeclaration(string Kind, EquatableList<AttributeArg> Args, LocationInfo? Location);

/// <summary>
/// A block class referenced by <c>typeof</c> from a spec or another block: its header ("Block",
/// "ResidualBlock", or null when the class is not marked) and its layer attributes in order.
/// </summary>
internal sealed record BlockDeclaration(
    string FullName,
    string DisplayName,
    string? Header,
    EquatableList<AttributeArg> HeaderArgs,
    EquatableList<LayerDeclaration> Layers,
    LocationInfo? Location);

/// <summary>The class that carries [Architecture]: where the generated partial goes and whether it can.</summary>
internal sealed record SpecTarget(
    string? Namespace,
    string ClassName,
    bool IsPartial,
    bool IsNested,
    bool IsGeneric,
    bool IsStatic,
    bool IsAbstract,
    LocationInfo? Location);

/// <summary>
/// Everything the generator needs from one spec, extracted from symbols in the first transform. It holds
/// no symbol, syntax node or compilation, and compares by value, so unrelated edits leave it equal.
/// </summary>
internal sealed record SpecDeclaration(
    SpecTarget Target,
    EquatableList<AttributeArg> Architecture,
    LocationInfo? ArchitectureLocation,
    EquatableList<LayerDeclaration> Layers,
    EquatableList<BlockDeclaration> Blocks);

using FimBounds.Core.Architecture;
using FimBounds.Core.Collections;

namespace FimBounds.Generators.Model;

/// <summary>A spec that built without errors: where to emit it and its architecture description.</summary>
internal sealed record SpecModel(SpecTarget Target, ArchitectureDescription Description, LocationInfo? NameLocation);

/// <summary>The outcome of building one spec: the model (null when an error was found) and the diagnostics.</summary>
internal sealed record BuildResult(SpecModel? Model, EquatableList<DiagnosticInfo> Diagnostics);

/// <summary>A spec with its compile-time bound rendered as text and LaTeX, or the reason the rules could not bound it.</summary>
internal sealed record BoundedSpec(SpecModel Spec, string BoundText, string BoundLatex, DiagnosticInfo? Failure);

/// <summary>What the catalog needs of one spec.</summary>
internal sealed record CatalogEntry(string Name, string FullyQualifiedClass, LocationInfo? Location);

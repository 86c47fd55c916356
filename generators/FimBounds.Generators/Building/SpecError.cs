using System;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Building;

/// <summary>
/// Stops building a spec at its first mistake. Later layers' shapes depend on every earlier one, so one
/// precise diagnostic beats a cascade of follow-on errors. Never escapes the builder.
/// </summary>
internal sealed class SpecError : Exception
{
    public SpecError(DiagnosticInfo diagnostic) : base(diagnostic.Descriptor.Id) => Diagnostic = diagnostic;

    public DiagnosticInfo Diagnostic { get; }
}

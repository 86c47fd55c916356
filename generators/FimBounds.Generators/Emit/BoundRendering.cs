using FimBounds.Core.Architecture;

namespace FimBounds.Generators.Emit;

/// <summary>The compile-time bound of a description, from the shared bound rules (FimBounds.Core.Bounds).</summary>
internal static class BoundRendering
{
    // PENDING: replaced by BoundDeriver.Derive once the algebra API lands on main; never ship this body.
    public static (string Text, string Latex) Render(ArchitectureDescription description) => ("", "");
}

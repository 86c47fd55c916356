using System;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Generators.Diagnostics;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Emit;

/// <summary>
/// The compile-time bound of a description from the shared bound rules (FimBounds.Core.Bounds, compiled into
/// the generator from the same sources the runtime uses): the expression of λ_max(F(x)) ≤ … as text and LaTeX.
/// </summary>
internal static class BoundRendering
{
    public static BoundedSpec Render(SpecModel spec)
    {
        try
        {
            ArchitectureBound bound = BoundDeriver.Derive(spec.Description);
            return new BoundedSpec(spec, bound.FimBound.ToText(), bound.FimBound.ToLatex(), null);
        }
        catch (ArgumentException e)
        {
            // The builder only produces layers the rules know; this guards a rule gap without crashing the compiler.
            return new BoundedSpec(spec, "", "", DiagnosticInfo.Create(DiagnosticDescriptors.Unsupported, spec.NameLocation,
                $"spec '{spec.Description.Name}'", "the bound rules do not cover it: " + e.Message));
        }
    }
}

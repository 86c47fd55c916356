using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// Node factors that bound the node's own Jacobian. A map's ρ_C (<see cref="ConcatenationPlan"/>) uses the branch
/// bounds of the dense block feeding it, so ρ_C·σ bounds the map only together with that block: a node whose factor
/// names a ρ_C of a block outside the node (the map itself, a dense step, a transition) is checked with that ρ_C
/// taken out — its worst case 1 —, while a node containing the block (the block, the network) keeps it. The
/// concatenation rule itself is checked across the block in <c>ConcatenationRatioTests</c>.
/// </summary>
public static class StandaloneFactors
{
    /// <summary>The bound's per-layer factors (aligned with <see cref="InstantiatedBound.PerLayer"/>), ρ_C of outside blocks removed.</summary>
    public static IReadOnlyList<NumericFactor> Of(ArchitectureDescription description, InstantiatedBound bound)
    {
        ConcatenationPlan plan = ConcatenationPlan.Of(description.Network);
        Layer[] nodes = description.AllLayers().ToArray();
        var result = new List<NumericFactor>(bound.PerLayer.Count);
        for (int k = 0; k < bound.PerLayer.Count; k++)
        {
            NumericFactor factor = bound.PerLayer[k];
            var inside = new HashSet<Layer>(Descendants(nodes[k]), ReferenceEqualityComparer.Instance);
            double removed = 1.0;
            foreach (SymbolExpr symbol in bound.Symbolic.Factors[k].Factor.Symbols().Distinct())
            {
                if (symbol.Meaning is { Quantity: Quantity.ConcatenationRatio } meaning
                    && plan.Of(meaning.LayerPath) is { } input && !inside.Contains(input.Block))
                {
                    removed *= bound.Quantities.Single(q => q.Symbol == symbol.Name).Value;
                }
            }
            result.Add(removed == 1.0 ? factor : factor with { Value = factor.Value / removed, Attained = factor.Attained / removed });
        }
        return result;
    }

    private static IEnumerable<Layer> Descendants(Layer node) => new[] { node }.Concat(node.Children.SelectMany(Descendants));
}

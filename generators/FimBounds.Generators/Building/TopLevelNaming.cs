using System;
using System.Collections.Generic;
using System.Linq;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Building;

/// <summary>
/// How the spec's unnamed top-level layers are named. Normally after their kind ("fc", "flatten",
/// "avgpool": torchvision's names, which the zoo relies on). When two of them would get the same name —
/// a plain LeNet with two [Conv2d] — the top level is numbered the way nn.Sequential numbers its
/// children: every unnamed layer is named by its position among the top-level items (0, 1, 2, …), so the
/// state_dict keys are those of the same network written as nn.Sequential in PyTorch. Names the user
/// wrote stay as written; a name written twice is still FIMB007.
/// </summary>
internal static class TopLevelNaming
{
    public static bool IsNumbered(IEnumerable<LayerDeclaration> declarations)
    {
        var defaults = new List<string>();
        var writtenNames = new HashSet<string>(StringComparer.Ordinal);
        bool inStage = false;
        foreach (LayerDeclaration declaration in declarations)
        {
            switch (declaration.Kind)
            {
                case "Stage":
                    inStage = true;
                    break;
                case "EndStage":
                    inStage = false;
                    break;
                case var _ when inStage:
                    break;
                default:
                    if (declaration.Args.FirstOrDefault(a => a.Name == "name")?.Value is StringValue { Value: { } written })
                    {
                        writtenNames.Add(written);
                    }
                    else if (LayerFactory.DefaultNames.TryGetValue(declaration.Kind, out string? defaultName))
                    {
                        defaults.Add(defaultName);
                    }
                    break;
            }
        }
        return defaults.Distinct(StringComparer.Ordinal).Count() < defaults.Count || defaults.Any(writtenNames.Contains);
    }
}

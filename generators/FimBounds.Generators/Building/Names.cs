using System.Linq;

namespace FimBounds.Generators.Building;

/// <summary>What spec and layer names may contain (plain character tests: no Regex start-up cost in the compiler).</summary>
internal static class Names
{
    /// <summary>Lower-case letters and digits in runs separated by single dashes: "resnet-mini", "vit-b-16".</summary>
    public static bool IsSpecName(string name) =>
        name.Length > 0 && name.Split('-').All(part => part.Length > 0 && part.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'));

    /// <summary>One state_dict key segment: letters, digits and '_'.</summary>
    public static bool IsLayerName(string name) =>
        name.Length > 0 && name.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_');
}

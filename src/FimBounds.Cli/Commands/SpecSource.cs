using System.CommandLine;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>Where a command finds its specs: the zoo, and the user's own assembly named by --specs.</summary>
internal static class SpecSource
{
    /// <summary>--specs PATH: a .dll or .csproj whose specs every command can use beside the zoo.</summary>
    public static Option<string?> SpecsOption() => new("--specs")
    {
        Description = "Your own specs: a built assembly (.dll) or a project (.csproj, built first) declaring [Architecture] classes; used beside the zoo.",
    };

    /// <summary>The zoo plus the specs of the <paramref name="specs"/> assembly (--specs), if given.</summary>
    public static SpecCatalog Catalog(string? specs) => new(ZooCatalog.All, specs);

    public static IModelSpec Spec(string? specs, string name) => Catalog(specs).Find(name);
}

using System.CommandLine;
using FimBounds.Core.Errors;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>Shared parsing of the training and attack commands' values, with usage errors that name the fix.</summary>
internal static class CommandValues
{
    public static IModelSpec Spec(string name) => ZooCatalog.Find(name);

    /// <summary>--specs PATH: a .dll or .csproj whose specs every command can use beside the zoo.</summary>
    public static Option<string?> SpecsOption() => new("--specs")
    {
        Description = "Your own specs: a built assembly (.dll) or a project (.csproj, built first) declaring [Architecture] classes; used beside the zoo.",
    };

    /// <summary>The zoo plus the specs of the --specs assembly, if the command line names one.</summary>
    public static SpecCatalog Catalog(ParseResult parse) => new(ZooCatalog.All, parse.GetValue<string?>("--specs"));

    public static IModelSpec Spec(ParseResult parse, string name) => Catalog(parse).Find(name);

    public static int Positive(int value, string option)
    {
        if (value <= 0)
        {
            throw new UsageException($"{option} must be a positive integer, not {value}.");
        }
        return value;
    }

    public static int? PositiveOrNull(int? value, string option) => value is null ? null : Positive(value.Value, option);
}

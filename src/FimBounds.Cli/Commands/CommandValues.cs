using FimBounds.Core.Errors;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>Shared parsing of the training and attack commands' values, with usage errors that name the fix.</summary>
internal static class CommandValues
{
    public static IModelSpec Spec(string name) => ZooCatalog.Find(name);

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

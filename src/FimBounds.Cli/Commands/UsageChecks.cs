using FimBounds.Core.Errors;

namespace FimBounds.Cli.Commands;

/// <summary>Checks of option values that System.CommandLine's parser cannot express, as usage errors naming the fix.</summary>
internal static class UsageChecks
{
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

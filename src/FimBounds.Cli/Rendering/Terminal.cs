using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>
/// Whether the tool draws for a person: progress bars, colours and Spectre tables only on an interactive
/// terminal; pipes, CI logs and tests get plain lines (and stay byte-stable).
/// </summary>
public static class Terminal
{
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}

using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>A Spectre console over the command's output writer (plain text when it is not an interactive terminal).</summary>
public static class ConsoleRendering
{
    public static IAnsiConsole Over(TextWriter output)
    {
        bool terminal = Terminal.IsInteractive(output);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Wide enough for the widest table (bench) on one line per row; a file or pipe has no width to respect.
            console.Profile.Width = 200;
        }
        return console;
    }
}

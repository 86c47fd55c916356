using FimBounds.Cli.Infrastructure;

namespace FimBounds.Tests.Shared;

/// <summary>
/// Runs the CLI in process with captured streams, exactly as the `fimbounds` executable would (same
/// command tree, same exit-code contract), so tests read the same text a user sees. Linked into every
/// test project that drives commands.
/// </summary>
public static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>Exit code and the two captured streams of one CLI run.</summary>
public readonly record struct CliResult(int Code, string Out, string Err);

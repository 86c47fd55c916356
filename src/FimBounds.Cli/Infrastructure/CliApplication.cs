using System.CommandLine;
using System.CommandLine.Parsing;
using FimBounds.Cli.Commands;
using FimBounds.Core.Errors;
using FimBounds.Torch;

namespace FimBounds.Cli.Infrastructure;

/// <summary>
/// Builds the command tree and runs it with the project's exit-code contract: 0 ok, 1 failure,
/// 2 usage. Parse errors print one line; user mistakes print their message; anything else prints
/// its message and, only with --verbose, the stack trace.
/// </summary>
public static class CliApplication
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print stack traces and extra diagnostics.",
        Recursive = true,
    };

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "FimBounds: how robust is a neural-network architecture? Compile-time bounds on the input " +
            "Fisher Information spectral norm, measured against trained models and adversarial attacks.");
        root.Options.Add(Verbose);
        foreach (Command command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // The process's one native-backend set-up, before any command can reach libtorch: oneDNN reads its
        // settings at its first convolution (see NativeBackend). Idempotent, so in-process test runs may repeat it.
        NativeBackend.ApplyWorkarounds();
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string problems = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
            error.WriteLine($"fimbounds: {problems}. Run 'fimbounds --help' for usage.");
            return 2;
        }

        bool verbose = parse.GetValue(Verbose);
        var failures = new FailureContext();
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (FimBoundsException e)
        {
            error.WriteLine($"fimbounds: {e.Message}");
            if (verbose)
            {
                error.WriteLine(e);
            }
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("fimbounds: cancelled; no partial output was written.");
            return 1;
        }
        catch (Exception e)
        {
            error.WriteLine($"fimbounds: {failures.Describe(e)}");
            error.WriteLine(verbose ? e.ToString() : "Run again with --verbose for details, and please report it.");
            return 1;
        }
        finally
        {
            failures.Dispose();
        }
    }
}

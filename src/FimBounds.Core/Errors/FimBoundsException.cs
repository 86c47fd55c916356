using System;

namespace FimBounds.Core.Errors;

/// <summary>
/// A mistake the user can fix. The message says what is wrong and how to fix it; the CLI prints it
/// without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public class FimBoundsException : Exception
{
    public FimBoundsException(string message, int exitCode = 1, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>1 = the run failed (bad file, bad data), 2 = the command line was wrong.</summary>
    public int ExitCode { get; }
}

/// <summary>The command line names something that does not exist or combines options wrongly (exit 2).</summary>
public sealed class UsageException : FimBoundsException
{
    public UsageException(string message) : base(message, exitCode: 2) { }
}

/// <summary>An input file (dataset, checkpoint, spec) is missing, corrupt or does not fit (exit 1).</summary>
public sealed class InputException : FimBoundsException
{
    public InputException(string message, Exception? inner = null) : base(message, exitCode: 1, inner) { }
}

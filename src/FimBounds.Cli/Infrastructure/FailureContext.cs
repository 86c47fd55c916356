using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using FimBounds.Core.Errors;

namespace FimBounds.Cli.Infrastructure;

/// <summary>
/// Remembers, for every exception thrown while it is alive, what the program was doing at the moment
/// of the throw (<see cref="CurrentWork"/>): by the time the exception reaches the command line's
/// handler the work scopes have been unwound, and the thread may be another one.
/// </summary>
public sealed class FailureContext : IDisposable
{
    private readonly ConditionalWeakTable<Exception, string> _work = [];

    public FailureContext() => AppDomain.CurrentDomain.FirstChanceException += Remember;

    private void Remember(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (CurrentWork.Description is { } work)
        {
            _work.TryAdd(e.Exception, work);
        }
    }

    /// <summary>The innermost work in progress when this exception (or the one it wraps) was first thrown.</summary>
    public string? WorkWhenThrown(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (_work.TryGetValue(x, out string? work))
            {
                return work;
            }
        }
        return null;
    }

    /// <summary>"internal error in &lt;work&gt;: &lt;first line of the message&gt;", one line.</summary>
    public string Describe(Exception e) =>
        $"internal error{(WorkWhenThrown(e) is { } work ? $" in {work}" : "")}: {FirstLine(e.Message)}";

    /// <summary>
    /// The first line of a message, without libtorch's "(Could this error message be improved? …)"
    /// appendix; its native frame dump follows on later lines and is only printed with --verbose.
    /// </summary>
    public static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].TrimEnd();
        int appendix = line.IndexOf("(Could this error message be improved?", StringComparison.Ordinal);
        return appendix > 0 ? line[..appendix].TrimEnd() : line;
    }

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= Remember;
}

using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>
/// Progress for long commands: a Spectre.Console progress bar when the tool writes to an interactive
/// terminal, nothing but the final lines otherwise (pipes, CI logs and tests stay clean).
/// </summary>
internal static class ProgressReporting
{
    /// <summary>Runs <paramref name="work"/> with a progress task of <paramref name="total"/> units.</summary>
    public static T Run<T>(TextWriter output, string title, double total, Func<IProgressBar, T> work)
    {
        if (!Terminal.IsInteractive(output))
        {
            return work(NullBar.Instance);
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                result = work(new SpectreBar(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    public interface IProgressBar
    {
        void Update(double done, string description);
    }

    private sealed class SpectreBar(ProgressTask task) : IProgressBar
    {
        public void Update(double done, string description)
        {
            task.Value = done;
            task.Description = Markup.Escape(description);
        }
    }

    private sealed class NullBar : IProgressBar
    {
        public static readonly NullBar Instance = new();

        public void Update(double done, string description)
        {
        }
    }
}

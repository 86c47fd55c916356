using FimBounds.Study.Ranking;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>
/// Progress bars on a terminal (Spectre.Console): one bar for the whole run, one per model, each
/// described by its current stage. Runs the study inside Spectre's live display.
/// </summary>
public sealed class SpectreRankProgress : IRankProgress
{
    private readonly ProgressContext _context;
    private readonly ProgressTask _overall;
    private readonly Dictionary<string, ProgressTask> _models = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    private SpectreRankProgress(ProgressContext context, int totalModels)
    {
        _context = context;
        _overall = context.AddTask("[bold]all models[/]", maxValue: Math.Max(1, totalModels));
    }

    /// <summary>Runs <paramref name="work"/> with live progress bars; notes made meanwhile are printed after it.</summary>
    public static T Run<T>(IAnsiConsole console, int totalModels, Func<IRankProgress, T> work)
    {
        SpectreRankProgress? progress = null;
        try
        {
            return console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    progress = new SpectreRankProgress(ctx, totalModels);
                    return work(progress);
                });
        }
        finally
        {
            foreach (string note in progress?._notes ?? [])
            {
                console.MarkupLine(Markup.Escape(note));
            }
        }
    }

    public void BeginModel(string label, int index, int total)
    {
        _models[label] = _context.AddTask(Describe(label, "starting"), maxValue: 1.0);
    }

    public void Stage(string label, string stage, double fraction)
    {
        if (_models.TryGetValue(label, out ProgressTask? task))
        {
            task.Description = Describe(label, stage);
            task.Value = Math.Clamp(fraction, 0, 1);
        }
    }

    public void EndModel(string label, string summary)
    {
        if (_models.TryGetValue(label, out ProgressTask? task))
        {
            task.Description = Describe(label, "done");
            task.Value = 1.0;
            task.StopTask();
        }
        _overall.Increment(1);
        _notes.Add($"{label}: {summary}");
    }

    public void Note(string line) => _notes.Add(line);

    private static string Describe(string label, string stage) => $"{Markup.Escape(label),-28} [grey]{Markup.Escape(stage)}[/]";
}

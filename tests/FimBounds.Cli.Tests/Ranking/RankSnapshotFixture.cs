using FimBounds.Reports;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>
/// Runs the small `rank` twice, each in its own fresh checkpoint cache and output directory (so the
/// second run trains again rather than loading the first one's weights), once for all snapshot tests: the
/// first on one worker, the second on two (models side by side, which must not change a single value).
/// The cache path is the only thing that differs between the reports; it is replaced by a placeholder.
/// Each run starts at a libtorch thread count the study never uses itself (3) and records the count it leaves.
/// </summary>
public sealed class RankSnapshotFixture : IDisposable
{
    public const string CachePlaceholder = "<checkpoints>";

    /// <summary>The libtorch thread count each run is started at.</summary>
    public const int CallerThreads = 3;

    private readonly List<string> _directories = [];

    public RankSnapshotFixture()
    {
        First = RunOnce("first", workers: 1);
        Second = RunOnce("second", workers: 2);
    }

    public RunFiles First { get; }

    public RunFiles Second { get; }

    private RunFiles RunOnce(string tag, int workers)
    {
        string root = SmallRun.TempDirectory("snapshot-" + tag);
        _directories.Add(root);
        string checkpoints = Path.Combine(root, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        string outDir = Path.Combine(root, "report");
        int testThreads = get_num_threads();
        set_num_threads(CallerThreads);
        var (code, output, error) = SmallRun.Cli(["rank", "--specs", SmallRun.Specs, "--checkpoints", checkpoints, "--out", outDir, .. SmallRun.Budget(workers)]);
        int threadsAfter = get_num_threads();
        set_num_threads(testThreads);
        if (code != 0)
        {
            throw new InvalidOperationException($"the small rank run exited {code}:\n{error}\n{output}");
        }
        string Read(string file) => File.ReadAllText(Path.Combine(outDir, file)).Replace(checkpoints, CachePlaceholder, StringComparison.Ordinal);
        return new RunFiles(Read(ReportWriter.MarkdownFile), Read(ReportWriter.JsonFile), output, outDir, checkpoints, threadsAfter);
    }

    public void Dispose()
    {
        foreach (string directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}

/// <param name="ThreadsAfter">libtorch's thread count on the calling thread when the run returned.</param>
public sealed record RunFiles(string Markdown, string Json, string Console, string OutDir, string Checkpoints, int ThreadsAfter);

using FimBounds.Core.Errors;
using FimBounds.Reports.Output;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Output;

/// <summary>Writing is atomic: all files or none, a clear message for an unusable directory, nothing left on cancellation.</summary>
public sealed class ReportWriterTests
{
    private static readonly string[] ReportFiles = ["report.md", "report.json", "report.html"];

    [Fact]
    public void Writes_the_reports_and_every_plot_as_png_and_svg()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "nested", "out"); // created when missing
        WrittenReport written = ReportWriter.Write(SampleReport.Build(), target);

        Assert.Equal(target, written.Directory);
        foreach (string name in ReportFiles)
        {
            Assert.True(File.Exists(Path.Combine(target, name)), name);
        }
        string[] plots = Directory.GetFiles(Path.Combine(target, "plots")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(16, plots.Length);
        Assert.Contains("bound-vs-measured.png", plots);
        Assert.Contains("bound-vs-measured.svg", plots);
        Assert.Equal(19, written.Files.Count);
        Assert.Empty(Directory.GetDirectories(target, AtomicDirectoryWriter.StagingPrefix + "*"));
    }

    [Fact]
    public void Progress_names_each_file_as_it_is_staged()
    {
        using var dir = new TempDirectory();
        var seen = new List<string>();
        ReportWriter.Write(SampleReport.Build(), dir.Path, progress: new SynchronousProgress(seen.Add));
        Assert.Equal(19, seen.Count);
        Assert.Equal("report.html", seen[^1]);
    }

    [Fact]
    public void Output_path_under_a_file_is_an_input_error_naming_the_directory_and_the_fix()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        string target = Path.Combine(file, "out");

        var e = Assert.Throws<InputException>(() => ReportWriter.Write(SampleReport.Build(), target));
        Assert.Contains(target, e.Message);
        Assert.Contains("--out", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [NonRootUnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Read_only_directory_is_an_input_error()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "locked");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = Assert.Throws<InputException>(() => ReportWriter.Write(SampleReport.Build(), target));
            Assert.Contains(target, e.Message);
        }
        finally
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Empty_path_is_an_input_error()
    {
        var e = Assert.Throws<InputException>(() => ReportWriter.Write(SampleReport.Build(), " "));
        Assert.Contains("--out", e.Message);
    }

    [Fact]
    public void Cancellation_mid_write_leaves_no_partial_report()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "out");
        using var cancel = new CancellationTokenSource();
        int staged = 0;
        // Cancel once a few files are on disk in the staging directory.
        var progress = new SynchronousProgress(_ =>
        {
            if (++staged == 3)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ReportWriter.Write(SampleReport.Build(), target, cancel.Token, progress));
        Assert.Equal(3, staged);
        Assert.False(Directory.Exists(target)); // the writer made it, and removes it again: no report, no plots, no staging
    }

    [Fact]
    public void Cancellation_in_an_existing_directory_leaves_only_what_was_there()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "mine");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancel.Cancel());

        Assert.ThrowsAny<OperationCanceledException>(() => ReportWriter.Write(SampleReport.Build(), dir.Path, cancel.Token, progress));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_cancelled_write_keeps_the_previous_report_intact()
    {
        using var dir = new TempDirectory();
        ReportWriter.Write(SampleReport.Build(), dir.Path);
        var before = ReportFiles.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(dir.Path, n)));

        var changed = FimBounds.Reports.Ranking.RankingReportBuilder.Build(
            SampleReport.Run with { Seed = 8 }, SampleReport.Measurements, SampleReport.Theory);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(name =>
        {
            if (name == "report.json")
            {
                cancel.Cancel(); // the new report.md is staged, the old one must survive
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => ReportWriter.Write(changed, dir.Path, cancel.Token, progress));

        foreach (string name in ReportFiles)
        {
            Assert.Equal(before[name], File.ReadAllBytes(Path.Combine(dir.Path, name)));
        }
        Assert.Empty(Directory.GetDirectories(dir.Path, AtomicDirectoryWriter.StagingPrefix + "*"));
    }

    [Fact]
    public void An_already_cancelled_token_writes_nothing()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "out");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ReportWriter.Write(SampleReport.Build(), target, cancel.Token));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void Files_cannot_escape_the_output_directory()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() =>
            AtomicDirectoryWriter.Write(dir.Path, [new ReportFile("../escaped.txt", [1])]));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escaped.txt")));
    }

    /// <summary>Root writes through file permissions, so a read-only directory only stops other users.</summary>
    private sealed class NonRootUnixFactAttribute : FactAttribute
    {
        public NonRootUnixFactAttribute()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName == "root")
            {
                Skip = "Runs as root (or on Windows): permissions do not stop writes; the path-under-a-file test covers the error.";
            }
        }
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

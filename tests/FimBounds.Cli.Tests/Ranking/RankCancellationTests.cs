using FimBounds.Cli.Commands;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>Ctrl+C mid-run: the run stops with OperationCanceledException and leaves no report directory behind.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class RankCancellationTests
{
    [Theory]
    [InlineData("train")]
    [InlineData("[2/2]")]
    public void Cancelling_mid_run_leaves_no_partial_report(string cancelWhenPrinted)
    {
        string root = SmallRun.TempDirectory("cancel");
        string checkpoints = Path.Combine(root, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        string outDir = Path.Combine(root, "out");
        RankOptions options = SmallRun.Options(checkpoints, outDir) with { Specs = ["vgg-mini"] };
        using var cancellation = new CancellationTokenSource();
        var console = new CancellingWriter(cancelWhenPrinted, cancellation);

        Assert.ThrowsAny<OperationCanceledException>(() => RankCommand.Run(options, console, TextWriter.Null, cancellation.Token));

        Assert.True(console.Triggered);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(root), p => Path.GetFileName(p).StartsWith("out", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(checkpoints, "*.tmp-*"));
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Console output that presses Ctrl+C the moment a given text is printed.</summary>
    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancellation) : StringWriter
    {
        public bool Triggered { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                Triggered = true;
                cancellation.Cancel();
            }
        }
    }
}

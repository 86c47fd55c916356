using System.Text.Json;
using ApprovalTests;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;
using FimBounds.Reports;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>
/// End to end: a small real `fimbounds rank` (training, bound, exact λ_max, PGD, CW, minimal ε) against
/// approved report.md / report.json (files *.approved.* next to this file); a second run with the same
/// seed, on two workers instead of one, gives byte-identical files. After a deliberate change, review the *.received.* files and rename
/// them to approved.
/// </summary>
[UseReporter(typeof(QuietReporter))]
[Collection(RankingRunsCollection.Name)]
public sealed class RankSnapshotTests(RankSnapshotFixture run) : IClassFixture<RankSnapshotFixture>
{
    [Fact]
    public void Markdown_report() => Approvals.Verify(new ApprovalTextWriter(run.First.Markdown, "md"));

    [Fact]
    public void Json_report() => Approvals.Verify(new ApprovalTextWriter(run.First.Json, "json"));

    [Fact]
    public void A_second_run_with_the_same_seed_on_two_workers_is_byte_identical()
    {
        Assert.Equal(run.First.Markdown, run.Second.Markdown);
        Assert.Equal(run.First.Json, run.Second.Json);
    }

    [Fact]
    public void A_run_hands_the_callers_libtorch_thread_count_back()
    {
        // The study computes at one thread; an in-process caller (this test host) must not be left there.
        Assert.Equal(RankSnapshotFixture.CallerThreads, run.First.ThreadsAfter);
        Assert.Equal(RankSnapshotFixture.CallerThreads, run.Second.ThreadsAfter);
    }

    [Fact]
    public void The_report_has_every_model_with_a_holding_bound_and_the_html_and_plots()
    {
        using JsonDocument json = JsonDocument.Parse(run.First.Json);
        JsonElement[] models = json.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(4, models.Length);
        foreach (JsonElement model in models)
        {
            double bound = model.GetProperty("boundGlobal").GetDouble();
            double max = model.GetProperty("fim").GetProperty("max").GetDouble();
            Assert.True(bound >= max, $"{model.GetProperty("spec").GetString()}: bound {bound} < measured {max}");
            Assert.InRange(model.GetProperty("theoreticalRank").GetInt32(), 1, 2);
        }
        Assert.True(File.Exists(Path.Combine(run.First.OutDir, ReportWriter.HtmlFile)));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run.First.OutDir, ReportWriter.PlotsDirectory), "*.png"));
        // The cache holds one checkpoint per model, and the console names it and prints the summary table.
        Assert.Equal(4, Directory.GetFiles(run.First.Checkpoints, "*.ckpt").Length);
        Assert.Contains("checkpoint cache: ", run.First.Console);
        Assert.Contains("vit-mini (pgd-trained)", run.First.Console);
    }
}

using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>The demo's stage times: each stage charged from its start to the next stage or the model's end, summed over models.</summary>
public sealed class StageTimesTests
{
    private sealed class Recording : IRankProgress
    {
        public List<string> Calls { get; } = [];

        public void BeginModel(string label, int index, int total) => Calls.Add($"begin {label}");

        public void Stage(string label, string stage, double fraction) => Calls.Add($"{label}: {stage}");

        public void EndModel(string label, string summary) => Calls.Add($"end {label}");

        public void Note(string line) => Calls.Add(line);
    }

    [Fact]
    public void Stages_are_summed_over_models_in_the_order_they_first_ran_and_every_call_is_passed_on()
    {
        var inner = new Recording();
        var times = new StageTimes(inner);
        foreach (string model in new[] { "a", "b" })
        {
            times.BeginModel(model, 1, 2);
            times.Stage(model, "measure", 0.1);
            times.Stage(model, "measure", 0.2);
            Thread.Sleep(30);
            times.Stage(model, "certify", 0.9);
            Thread.Sleep(30);
            times.EndModel(model, "done");
        }
        times.Note("report");

        Assert.Equal(new[] { "measure", "certify" }, times.Totals.Select(t => t.Stage));
        // Two models each slept 30 ms in each stage: the sums hold both.
        Assert.All(times.Totals, t => Assert.True(t.Seconds >= 0.055, $"{t.Stage}: {t.Seconds} s"));
        Assert.Equal(11, inner.Calls.Count);
        Assert.StartsWith("time by stage: measure ", times.Line());
        Assert.Contains(", certify ", times.Line());
    }

    [Fact]
    public void Models_running_side_by_side_are_charged_each_for_its_own_stages_and_the_line_says_so()
    {
        var times = new StageTimes(new Recording());
        times.BeginModel("a", 1, 2);
        times.BeginModel("b", 2, 2);
        times.Stage("a", "train", 0.1);
        times.Stage("b", "train", 0.1);
        Thread.Sleep(40);
        // b moving on closes only b's stage: a is still training.
        times.Stage("b", "certify", 0.9);
        Thread.Sleep(40);
        times.EndModel("a", "done");
        times.EndModel("b", "done");

        var totals = times.Totals.ToDictionary(t => t.Stage, t => t.Seconds);
        Assert.Equal(new[] { "train", "certify" }, times.Totals.Select(t => t.Stage));
        // a trained 80 ms, b 40 ms: 120 ms of worker time in 80 ms of wall time.
        Assert.True(totals["train"] >= 0.115, $"train {totals["train"]} s");
        Assert.InRange(totals["certify"], 0.035, totals["train"]);
        Assert.EndsWith("(summed over 2 workers running side by side)", times.Line(workers: 2));
        Assert.DoesNotContain("workers", times.Line());
    }

    [Fact]
    public void Cpu_time_is_charged_to_the_stage_that_spent_it_and_not_to_one_that_waited()
    {
        Assert.True(!OperatingSystem.IsLinux() || ThreadCpuClock.Now() is not null, "Linux has a thread CPU clock");
        var times = new StageTimes(new Recording());
        times.BeginModel("a", 1, 1);
        times.Stage("a", "train", 0.1);
        TimeSpan start = ThreadCpuClock.Now() ?? TimeSpan.Zero;
        while (ThreadCpuClock.Now() is { } now && now - start < TimeSpan.FromMilliseconds(60))
        {
            // Busy: this thread's CPU clock advances only while it computes.
        }
        times.Stage("a", "certify", 0.9);
        Thread.Sleep(60);
        times.EndModel("a", "done");

        if (ThreadCpuClock.Now() is null)
        {
            Assert.Null(times.CpuLine());
            return;
        }
        var cpu = times.CpuTotals.ToDictionary(t => t.Stage, t => t.CpuSeconds!.Value);
        Assert.InRange(cpu["train"], 0.06, 5.0);
        Assert.InRange(cpu["certify"], 0.0, 0.03);
        Assert.StartsWith("CPU by stage: train 0 s, certify 0 s (total 0 s", times.CpuLine());
    }
}

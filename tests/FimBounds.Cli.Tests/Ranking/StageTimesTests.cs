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
}

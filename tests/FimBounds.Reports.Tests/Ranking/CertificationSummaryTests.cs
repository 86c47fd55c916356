using System.Text.Json;
using FimBounds.Reports.Json;
using FimBounds.Reports.Model;
using FimBounds.Reports.Ranking;
using FimBounds.Reports.Tables;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Ranking;

/// <summary>The certification block: its summary against hand-computed values, and a broken sandwich shown loudly.</summary>
public sealed class CertificationSummaryTests
{
    private static CertificationSummary Summary(CertificationMeasurement c) => CertificationSummary.Of(c, boundGlobal: 40.2);

    [Fact]
    public void Summary_matches_the_hand_computed_values()
    {
        CertificationSummary s = Summary(SampleReport.Certified);
        Assert.Equal([4.0 / 6, 3.0 / 6, 1.0 / 6], s.Accuracies.Select(a => a.CertifiedAccuracy!.Value));
        Assert.Equal([5.0 / 6, 5.0 / 6, 5.0 / 6], s.Accuracies.Select(a => a.PgdAccuracy!.Value));
        Assert.All(s.Accuracies, a => Assert.True(a.SandwichHolds));
        Assert.True(s.SandwichHolds);
        Assert.True(s.LocalBoundHolds);
        Assert.Equal(0.01, s.MedianRadius);
        Assert.Equal(0.25, s.MedianPgdMinimalEpsilon);
        Assert.Equal(0.04, s.MedianRadiusRatio!.Value, 12);
        Assert.Equal((5.0 / 0.2 + 30.0 / 0.4) / 2, s.MedianLocalTightness!.Value, 12);
        Assert.Equal((8.0 + 30.0) / 2 / 40.2, s.LocalOverGlobal!.Value, 12);
    }

    [Fact]
    public void A_certificate_inside_a_pgd_success_is_a_violation()
    {
        // Input 3 certified at 1/255, but PGD found an adversarial example at 0.003 < 1/255 (and below its radius).
        CertificationMeasurement broken = SampleReport.Certified with
        {
            Inputs = [.. SampleReport.Certified.Inputs.Select(i => i.Index == 3 ? i with { PgdMinimalEpsilon = 0.003 } : i)],
        };
        CertificationSummary s = Summary(broken);
        Assert.False(s.SandwichHolds);
        Assert.Equal(1, s.SandwichViolations);   // certified at 1/255 ≥ 0.003, and radius 0.006 ≥ 0.003: one input

        var measurements = SampleReport.Measurements.Select(m => m.Certification is null ? m : m with { Certification = broken });
        RankingReport report = RankingReportBuilder.Build(SampleReport.Run, measurements, SampleReport.Theory);
        Assert.Contains(Headline.Lines(report), l => l.StartsWith("CERTIFICATE BROKEN for vgg-mini (pgd-trained)", StringComparison.Ordinal));
        Assert.Contains("VIOLATED (1 input(s))", ReportWriter.Render(report).Markdown);
    }

    [Fact]
    public void A_lambda_above_the_local_bound_is_a_violation()
    {
        CertificationMeasurement broken = SampleReport.Certified with
        {
            Inputs = [.. SampleReport.Certified.Inputs.Select(i => i.Index == 2 ? i with { LargestLambdaInBall = 8.5 } : i)],
        };
        Assert.Equal(1, Summary(broken).FisherViolations);
        var measurements = SampleReport.Measurements.Select(m => m.Certification is null ? m : m with { Certification = broken });
        RankingReport report = RankingReportBuilder.Build(SampleReport.Run, measurements, SampleReport.Theory);
        Assert.Contains(Headline.Lines(report), l => l.StartsWith("CERTIFICATE BROKEN", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsupported_models_say_why_in_every_output()
    {
        var unsupported = SampleReport.Certified with { Inputs = [], Unsupported = "not supported for certification: patch embedding (attention models)" };
        var measurements = SampleReport.Measurements.Select(m => m.Certification is null ? m : m with { Certification = unsupported });
        RankingReport report = RankingReportBuilder.Build(SampleReport.Run, measurements, SampleReport.Theory);
        var rendered = ReportWriter.Render(report);
        Assert.Contains("patch embedding", rendered.Markdown);
        Assert.Contains("patch embedding", rendered.Html);
        using JsonDocument json = JsonDocument.Parse(rendered.Json);
        JsonElement vgg = json.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "vgg-mini/pgd-trained");
        Assert.Contains("patch embedding", vgg.GetProperty("certification").GetProperty("unsupported").GetString());
    }

    [Fact]
    public void Json_carries_the_certification_block()
    {
        using JsonDocument json = JsonDocument.Parse(JsonReportRenderer.Render(SampleReport.Build()));
        JsonElement c = json.RootElement.GetProperty("models").EnumerateArray()
            .Single(m => m.GetProperty("id").GetString() == "vgg-mini/pgd-trained").GetProperty("certification");
        Assert.Equal(3, c.GetProperty("accuracies").GetArrayLength());
        Assert.True(c.GetProperty("sandwichHolds").GetBoolean());
        Assert.Equal(0.04, c.GetProperty("medianRadiusRatio").GetDouble(), 12);
        Assert.Equal(6, c.GetProperty("perInput").GetArrayLength());
    }

    /// <summary>An input PGD never broke (+∞) has no ratio: the median is over the others, and both counts say so.</summary>
    [Fact]
    public void Inputs_pgd_never_broke_are_left_out_of_the_radius_ratio_and_counted()
    {
        CertificationMeasurement withSurvivor = SampleReport.Certified with
        {
            Inputs = [.. SampleReport.Certified.Inputs.Take(4), SampleReport.Certified.Inputs[4] with { PgdMinimalEpsilon = double.PositiveInfinity }, SampleReport.Certified.Inputs[5]],
        };
        CertificationSummary summary = CertificationSummary.Of(withSurvivor, boundGlobal: 1e6);
        // Ratios 0.125, 0.0667, 0.04, 0.03 (input 4's 0.0133 is gone): median (0.0667 + 0.04) / 2.
        Assert.Equal((0.02 / 0.3 + 0.04) / 2, summary.MedianRadiusRatio!.Value, 12);
        Assert.Equal(4, summary.RadiusRatioInputs);
        Assert.Equal(1, summary.PgdSurvivors);
        var measurements = SampleReport.Measurements.Select(m => m.Certification is null ? m : m with { Certification = withSurvivor });
        using JsonDocument json = JsonDocument.Parse(JsonReportRenderer.Render(RankingReportBuilder.Build(SampleReport.Run, measurements, SampleReport.Theory)));
        JsonElement c = json.RootElement.GetProperty("models").EnumerateArray()
            .Single(m => m.GetProperty("id").GetString() == "vgg-mini/pgd-trained").GetProperty("certification");
        Assert.Equal(4, c.GetProperty("radiusRatioInputs").GetInt32());
        Assert.Equal(1, c.GetProperty("pgdSurvivors").GetInt32());
    }
}

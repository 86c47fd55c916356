using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;
using FimBounds.Reports.Model;
using FimBounds.Reports.Ranking;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Ranking;

/// <summary>
/// The sample's rankings, worked out by hand. Models sort as densenet-mini, resnet-mini, vgg-mini,
/// vgg-mini (pgd-trained); every rank vector below is in that order.
/// </summary>
public sealed class RankingReportBuilderTests
{
    private static readonly RankingReport Report = SampleReport.Build();

    private static double[] Ranks(string key) => Report.RankingOf(key).Entries.Select(e => e.Rank).ToArray();

    [Fact]
    public void Models_are_ordered_by_spec_then_variant_whatever_the_input_order()
    {
        Assert.Equal(
            ["densenet-mini/standard", "resnet-mini/standard", "vgg-mini/standard", "vgg-mini/pgd-trained"],
            Report.Models.Select(m => m.Id));
        var shuffled = RankingReportBuilder.Build(SampleReport.Run, SampleReport.Measurements.Reverse(), SampleReport.Theory);
        Assert.Equal(Report.Models.Select(m => m.Id), shuffled.Models.Select(m => m.Id));
    }

    [Fact]
    public void Theory_ranks_come_from_the_given_ranks_with_ties_shared()
    {
        // given 3, 1, 2, 2 → fractional 4, 1, 2.5, 2.5
        Assert.Equal([4, 1, 2.5, 2.5], Ranks("theory"));
    }

    [Fact]
    public void Measured_ranking_orders_by_mean_lambda_smallest_first()
    {
        // means 4.1, 1.6167, 3.0, 0.3833
        Assert.Equal([4, 2, 3, 1], Ranks("measured"));
        Assert.Equal(4.1, Report.RankingOf("measured").Entries[0].Score, 12);
    }

    [Fact]
    public void Measured_ranking_can_use_another_statistic()
    {
        var byMax = RankingReportBuilder.Build(SampleReport.Run, SampleReport.Measurements, SampleReport.Theory,
            new RankingOptions { MeasuredBy = FimStatistic.Max });
        // maxima 9.1, 3.0, 6.4, 0.9
        Assert.Equal([4, 2, 3, 1], byMax.RankingOf("measured").Entries.Select(e => e.Rank));
        Assert.Contains("largest", byMax.RankingOf("measured").Criterion);
    }

    [Fact]
    public void Attack_ranking_orders_by_robust_accuracy_highest_first()
    {
        // PGD accuracies 0.08, 0.2, 0.12, 0.61
        Assert.Equal([4, 2, 3, 1], Ranks("attack"));
    }

    [Fact]
    public void Bound_and_paper_rankings()
    {
        Assert.Equal([4, 3, 2, 1], Ranks("bound"));
        // paper by family: DenseNet 4, ResNet 2, VGG 3, VGG 3 → 4, 1, 2.5, 2.5
        Assert.Equal([4, 1, 2.5, 2.5], Ranks("paper"));
    }

    [Fact]
    public void Agreement_between_theory_and_measurement()
    {
        // theory [4, 1, 2.5, 2.5] vs measured [4, 2, 3, 1]:
        // ρ = 3 / √(4.5 · 5); τ-b: S = 3, one pair tied in theory → 3 / √(5 · 6).
        RankAgreement a = Report.Agreement.Single(x => x.Key == "theoryVsMeasured");
        Assert.Equal(3 / Math.Sqrt(22.5), a.Spearman!.Value, 12);
        Assert.Equal(3 / Math.Sqrt(30), a.Kendall!.Value, 12);
        Assert.Equal(4, a.Count);

        RankAgreement same = Report.Agreement.Single(x => x.Key == "measuredVsAttack");
        Assert.Equal(1.0, same.Spearman);
        Assert.Equal(1.0, same.Kendall);
    }

    [Fact]
    public void Every_pair_of_rankings_is_compared_once_in_ranking_order()
    {
        Assert.Equal(
            ["theoryVsMeasured", "theoryVsAttack", "theoryVsBound", "theoryVsPaper", "measuredVsAttack",
             "measuredVsBound", "measuredVsPaper", "attackVsBound", "attackVsPaper", "boundVsPaper"],
            Report.Agreement.Select(a => a.Key));
    }

    [Fact]
    public void Paper_ranking_is_left_out_when_a_family_is_not_in_the_paper()
    {
        var other = SampleReport.Measurements.Append(SampleReport.Measurements[2] with { Spec = "mlp-mini", Family = ArchitectureFamily.Other });
        var report = RankingReportBuilder.Build(SampleReport.Run, other, SampleReport.Theory);
        Assert.DoesNotContain(report.Rankings, r => r.Key == "paper");
        Assert.Equal(4, report.Rankings.Count);
    }

    [Fact]
    public void Tightness_is_the_bound_over_the_measured_maximum_globally_and_per_layer()
    {
        ModelReport vgg = Report.Models.Single(m => m.Id == "vgg-mini/standard");
        Assert.Equal(106.46 / 6.4, vgg.Tightness!.Value, 12);
        Assert.True(vgg.BoundHolds);
        Assert.Equal(3.2 / 1.1, vgg.Layers[0].Tightness!.Value, 12);
        Assert.Null(vgg.Layers[2].Tightness); // not measured
        Assert.Empty(Report.ViolatedBounds);
    }

    [Fact]
    public void A_violated_bound_is_reported_not_hidden()
    {
        var broken = SampleReport.Measurements.Select(m => m.Spec == "resnet-mini" ? m with { BoundGlobal = 2.5 } : m);
        var report = RankingReportBuilder.Build(SampleReport.Run, broken, SampleReport.Theory);
        ModelReport resnet = report.Models.Single(m => m.Spec == "resnet-mini");
        Assert.False(resnet.BoundHolds);
        Assert.Equal(2.5 / 3.0, resnet.Tightness!.Value, 12);
        Assert.Equal([resnet], report.ViolatedBounds);
    }

    [Fact]
    public void Per_model_epsilon_correlation_is_computed_unless_given()
    {
        ModelReport resnet = Report.Models.Single(m => m.Spec == "resnet-mini");
        Assert.Equal(-1.0, resnet.EpsilonCorrelation.Coefficient); // ε strictly decreases with λ
        ModelReport vgg = Report.Models.Single(m => m.Id == "vgg-mini/standard");
        Assert.Equal(5, vgg.EpsilonCorrelation.Pairs);
        Assert.Equal(1, vgg.EpsilonCorrelation.Excluded); // ε = +∞

        var given = new CorrelationEstimate("spearman, bootstrap CI", -0.5, -0.8, -0.1, 0.95, 6, 0);
        var report = RankingReportBuilder.Build(SampleReport.Run,
            SampleReport.Measurements.Select(m => m.Spec == "resnet-mini" ? m with { EpsilonCorrelation = given } : m));
        Assert.Same(given, report.Models.Single(m => m.Spec == "resnet-mini").EpsilonCorrelation);
        Assert.Equal(22, report.PooledEpsilonCorrelation.Pairs);
        Assert.Equal(2, report.PooledEpsilonCorrelation.Excluded);
    }

    [Fact]
    public void No_models_is_a_clear_input_error()
    {
        var e = Assert.Throws<InputException>(() => RankingReportBuilder.Build(SampleReport.Run, []));
        Assert.Contains("no models", e.Message);
    }

    [Theory]
    [InlineData("nan-lambda", "λ_max of input 1 is NaN")]
    [InlineData("percent-accuracy", "clean accuracy is 87.5")]
    [InlineData("zero-bound", "the global bound is 0")]
    [InlineData("no-lambda", "no λ_max was measured")]
    [InlineData("rank-zero", "theoretical rank 0")]
    [InlineData("negative-epsilon", "input pair 0")]
    public void Broken_measurements_name_the_model_and_the_problem(string defect, string expected)
    {
        ModelMeasurement good = SampleReport.Measurements[2];
        ModelMeasurement bad = defect switch
        {
            "nan-lambda" => good with { LambdaMax = [1.0, double.NaN] },
            "percent-accuracy" => good with { CleanAccuracy = 87.5 },
            "zero-bound" => good with { BoundGlobal = 0 },
            "no-lambda" => good with { LambdaMax = [] },
            "rank-zero" => good with { TheoreticalRank = 0 },
            "negative-epsilon" => good with { Inputs = [new InputSensitivity(1.0, -0.1)] },
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };
        var e = Assert.Throws<InputException>(() => RankingReportBuilder.Build(SampleReport.Run, [bad]));
        Assert.Contains("'resnet-mini' (standard)", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_same_model_twice_is_rejected()
    {
        var e = Assert.Throws<InputException>(() =>
            RankingReportBuilder.Build(SampleReport.Run, [SampleReport.Measurements[0], SampleReport.Measurements[0]]));
        Assert.Contains("'vgg-mini' (standard) appears 2 times", e.Message);
    }
}

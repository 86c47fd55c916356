using System.Text.Json;
using FimBounds.Reports.Json;
using FimBounds.Reports.Tests.Fixtures;

namespace FimBounds.Reports.Tests.Json;

/// <summary>
/// The field names that checks outside the repository read. These must never change; the snapshot
/// would catch a change too, but this test says which fields are the contract.
/// </summary>
public sealed class JsonContractTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(JsonReportRenderer.Render(SampleReport.Build())).RootElement;

    [Fact]
    public void Models_carry_the_contract_fields()
    {
        JsonElement models = Root.GetProperty("models");
        Assert.Equal(4, models.GetArrayLength());
        foreach (JsonElement model in models.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, model.GetProperty("spec").ValueKind);
            Assert.Equal(JsonValueKind.Number, model.GetProperty("theoreticalRank").ValueKind);
            Assert.Equal(JsonValueKind.Number, model.GetProperty("boundGlobal").ValueKind);
            JsonElement fim = model.GetProperty("fim");
            foreach (string statistic in new[] { "mean", "median", "p95", "max" })
            {
                Assert.Equal(JsonValueKind.Number, fim.GetProperty(statistic).ValueKind);
            }
            Assert.Equal(JsonValueKind.Number, model.GetProperty("robustAccuracy").ValueKind);
            Assert.Equal(JsonValueKind.Number, model.GetProperty("tightness").ValueKind);
        }
    }

    [Fact]
    public void Looseness_factors_multiply_to_the_tightness()
    {
        JsonElement vgg = Root.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "vgg-mini/standard");
        JsonElement looseness = vgg.GetProperty("looseness");
        double product = looseness.GetProperty("softmax").GetDouble() * looseness.GetProperty("lipschitz").GetDouble()
            * looseness.GetProperty("alignment").GetDouble();
        Assert.Equal(vgg.GetProperty("tightness").GetDouble(), product, vgg.GetProperty("tightness").GetDouble() * 1e-3);   // 4 significant digits each
        Assert.Equal("features.4", looseness.GetProperty("layers")[0].GetProperty("path").GetString());
        JsonElement resnet = Root.GetProperty("models").EnumerateArray().First(m => m.GetProperty("spec").GetString() != "vgg-mini");
        Assert.Equal(JsonValueKind.Null, resnet.GetProperty("looseness").ValueKind);
    }

    [Fact]
    public void Contract_values_match_the_report()
    {
        JsonElement vgg = Root.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "vgg-mini/standard");
        Assert.Equal("vgg-mini", vgg.GetProperty("spec").GetString());
        Assert.Equal(2, vgg.GetProperty("theoreticalRank").GetInt32());
        Assert.Equal(106.5, vgg.GetProperty("boundGlobal").GetDouble()); // 106.46 at 4 significant digits
        Assert.Equal(3.0, vgg.GetProperty("fim").GetProperty("mean").GetDouble());
        Assert.Equal(6.4, vgg.GetProperty("fim").GetProperty("max").GetDouble());
        Assert.Equal(0.12, vgg.GetProperty("robustAccuracy").GetDouble());
        Assert.Equal(16.63, vgg.GetProperty("tightness").GetDouble());
    }

    [Fact]
    public void Agreement_has_spearman_and_kendall_between_the_rankings()
    {
        JsonElement agreement = Root.GetProperty("agreement");
        // The contract fields are numbers: the headline pair, theory vs measured.
        Assert.Equal("theoryVsMeasured", agreement.GetProperty("headlinePair").GetString());
        Assert.Equal(0.6325, agreement.GetProperty("spearman").GetDouble());
        Assert.Equal(0.5477, agreement.GetProperty("kendall").GetDouble());
        Assert.Equal(0.6325, agreement.GetProperty("spearmanByPair").GetProperty("theoryVsMeasured").GetDouble());
        Assert.Equal(0.5477, agreement.GetProperty("kendallByPair").GetProperty("theoryVsMeasured").GetDouble());
        Assert.Equal(1.0, agreement.GetProperty("spearmanByPair").GetProperty("measuredVsAttack").GetDouble());
        Assert.Equal(10, agreement.GetProperty("pairs").GetArrayLength());
    }

    [Fact]
    public void Undefined_values_are_null_never_NaN()
    {
        string json = JsonReportRenderer.Render(SampleReport.Build());
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        JsonElement vgg = Root.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "vgg-mini/standard");
        Assert.Equal(JsonValueKind.Null, vgg.GetProperty("inputs")[5].GetProperty("minimalEpsilon").ValueKind); // ε = +∞
        Assert.Equal(JsonValueKind.Null, vgg.GetProperty("epsilonCorrelation").GetProperty("lower").ValueKind); // |ρ| = 1
    }
}

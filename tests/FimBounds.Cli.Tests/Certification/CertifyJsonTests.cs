using System.Text.Json;
using FimBounds.Study.Certification;

namespace FimBounds.Cli.Tests.Certification;

/// <summary>`certify --json` follows the one JSON policy: non-finite numbers are null, and a flag says which null a survivor's ε is.</summary>
public sealed class CertifyJsonTests
{
    [Fact]
    public void A_survivor_of_the_minimal_eps_search_is_null_with_pgdFound_false()
    {
        CertifyReport.SampleRow Row(int index, double? pgd) => new(index, 3, 3, true, 0.01, 2.0, 1.5, 1.6, 1.25, pgd, null, 1.0, 1.1);
        var summary = new CertifyReport.SummaryRow(1, 0.01, 0.02, null, 1, double.NaN, 2.0, 1.5, 0.1, 0.2, 0.3, 2, 3, 0, 0, 1, 1);
        var report = new CertifyReport("vgg-mini", "x.ckpt", "linf", "crown", 1 / 255.0, "test images", null,
            [Row(0, double.PositiveInfinity), Row(1, 0.02), Row(2, null)], summary, 1.0);

        string json = report.ToJson();

        Assert.DoesNotContain("Infinity", json);
        Assert.DoesNotContain("NaN", json);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement[] samples = document.RootElement.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, samples[0].GetProperty("pgdMinimalEpsilon").ValueKind);
        Assert.False(samples[0].GetProperty("pgdFound").GetBoolean());
        Assert.Equal(0.02, samples[1].GetProperty("pgdMinimalEpsilon").GetDouble());
        Assert.True(samples[1].GetProperty("pgdFound").GetBoolean());
        Assert.Equal(JsonValueKind.Null, samples[2].GetProperty("pgdFound").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("summary").GetProperty("medianLocalFimTightness").ValueKind);
        // The survivor is left out of the median ratio, and the summary says how many were.
        Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("pgdSurvivors").GetInt32());
        Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("radiusRatioInputs").GetInt32());
    }
}

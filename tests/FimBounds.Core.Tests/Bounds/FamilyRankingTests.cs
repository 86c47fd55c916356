using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Core.Tests.Support;

namespace FimBounds.Core.Tests.Bounds;

/// <summary>The theoretical ranking of the paper's four architectures, computed by the algebra.</summary>
public class FamilyRankingTests
{
    private static readonly Lazy<FamilyRankingResult> Ranking = new(() => FamilyRanking.Rank(new[]
    {
        ReferenceArchitectures.Vgg16(),
        ReferenceArchitectures.ResNet18(),
        ReferenceArchitectures.DenseNet121(),
        ReferenceArchitectures.VitB16(),
    }));

    [Fact]
    public void Leading_exponents_are_how_depth_compounds_in_each_family()
    {
        // By hand: the FIM bound is ½L² and as s → ∞
        //   VGG16: 16 operator norms → s^32;
        //   ResNet18: stem s, 8 blocks (1 + s²b²) or (sb + s²b²) → s² each, fc s → L ~ s^18 → s^36;
        //   DenseNet121: stem s, 58 steps √(1 + s⁴b⁴) → s² each, 3 transitions s, fc s → L ~ s^121 → s^242;
        //   ViT-B/16: patch s, 12 × (1 + L_MHA)(1 + 1.13 s²) with L_MHA ~ s⁴ (σ_O σ_V σ_QK = s·s·s²) → s^6 each, head s → L ~ s^74 → s^148.
        var exponents = Ranking.Value.Rows.ToDictionary(r => r.Architecture, r => r.Leading!.Value.Exponent);
        Assert.Equal(Number.Integer(32), exponents["vgg16"]);
        Assert.Equal(Number.Integer(36), exponents["resnet18"]);
        Assert.Equal(Number.Integer(242), exponents["densenet121"]);
        Assert.Equal(Number.Integer(148), exponents["vit-b-16"]);
    }

    [Fact]
    public void Vgg_bound_under_the_assumption_is_the_closed_form()
    {
        // ½ (1/0.224)² s^32: the input normalisation times sixteen operator norms, pools of factor 1.
        var vgg = Ranking.Value.Rows.Single(r => r.Architecture == "vgg16");
        Assert.Equal(ExprParser.Parse("1/2*(1/0.224)^2*s^32"), vgg.Bound);
    }

    [Fact]
    public void Crossovers_are_where_the_bounds_are_equal()
    {
        var result = Ranking.Value;
        Assert.NotEmpty(result.Crossovers);
        foreach (Crossover c in result.Crossovers)
        {
            var a = result.Rows.Single(r => r.Architecture == c.First).Bound;
            var b = result.Rows.Single(r => r.Architecture == c.Second).Bound;
            var values = new Dictionary<string, double> { ["b"] = 1, ["r"] = 1, ["s"] = c.At };
            Assert.True(LogEvaluator.TryLog(a, values, out double la));
            Assert.True(LogEvaluator.TryLog(b, values, out double lb));
            Assert.True(Math.Abs(la - lb) < 1e-8, $"{c}: ln bounds {la} vs {lb}");
        }
    }

    [Fact]
    public void Ranking_table_snapshot() => Snapshot.Verify("FamilyRanking.reference", Ranking.Value.Render());

    [Fact]
    public void Paper_agreement_needs_one_architecture_per_family()
    {
        var partial = FamilyRanking.Rank(new[] { Architectures.Vgg(), Architectures.ResNet() });
        Assert.Null(partial.AgreesWithPaper(asymptotic: false));
        Assert.Contains("not comparable", partial.Render());
    }
}

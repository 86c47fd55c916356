using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;
using FimBounds.Core.Tests.Support;

namespace FimBounds.Core.Tests.Bounds;

/// <summary>
/// The derived bounds of the four families equal the closed forms of DESIGN.md §7, written here
/// independently (by hand, for the small descriptions of <see cref="Architectures"/>), after
/// canonicalisation, with every BatchNorm/LayerNorm scale folded into the next linear map (one symbol
/// per fold, e.g. σ(norm2∘conv1∘norm1); see <see cref="LinearFolds"/>); their LaTeX is snapshot-tested.
/// </summary>
public class FamilyBoundTests
{
    private static Expr S(string name) => Expr.Sym(name);

    private static Expr P(string text) => ExprParser.Parse(text);

    [Fact]
    public void Vgg_bound_is_half_the_squared_product_of_conv_and_batch_norm_factors()
    {
        // ½ ∏_l σ(BN_l∘conv_l)² ∏ pool²; 2×2 max pools with stride 2 have factor 1.
        Expr expected = P("1/2*(sigma_features.1∘0*sigma_features.4∘3*1"
            + "*sigma_features.8∘7*sigma_features.11∘10*1"
            + "*sigma_classifier.0*sigma_classifier.3)^2");
        ArchitectureBound bound = BoundDeriver.Derive(Architectures.Vgg());
        Assert.Equal(expected, bound.FimBound);
        Assert.Empty(bound.Assumptions);
    }

    [Fact]
    public void ResNet_bound_costs_one_plus_factor_per_block()
    {
        // ½ (L_stem ∏_b (L_s,b + σ(bn1∘conv1) σ(bn2∘conv2)) · pool · σ_fc)²; stem max pool 3/2/1: ⌈3/2⌉ = 2;
        // global pool over 4×4: 1/4; the first block of stage 2 has a projection shortcut σ(BN∘conv1×1).
        string Block(string b) => $"sigma_{b}.bn1∘conv1*sigma_{b}.bn2∘conv2";
        Expr expected = P("1/2*(sigma_bn1∘conv1*2"
            + $"*(1 + {Block("layer1.0")})*(1 + {Block("layer1.1")})"
            + $"*(sigma_layer2.0.downsample.1∘0 + {Block("layer2.0")})*(1 + {Block("layer2.1")})"
            + "*1/4*sigma_fc)^2");
        Assert.Equal(expected, BoundDeriver.Derive(Architectures.ResNet()).FimBound);
    }

    [Fact]
    public void DenseNet_bound_costs_one_plus_squared_factor_per_step()
    {
        // ½ (σ_0 ∏_blocks ∏_steps √(1 + L_h²) · ρ_C σ(conv_1×1∘norm) ½ (transition) · 1/8 (global pool over 8×8) · ρ_C σ(fc∘norm5))²,
        // with L_h = ρ_C σ(norm2∘conv1∘norm1)·σ(conv2): every pre-activation BatchNorm folds into the next map, and
        // every map reading a dense concatenation carries its concatenation ratio ρ_C.
        string Step(string p) => $"sqrt(1 + (rhoC_{p}.conv1*sigma_{p}.norm2∘conv1∘norm1*sigma_{p}.conv2)^2)";
        Expr expected = P("1/2*(sigma_features.conv0"
            + $"*{Step("features.denseblock1.denselayer1")}*{Step("features.denseblock1.denselayer2")}"
            + "*rhoC_features.transition1.conv*sigma_features.transition1.conv∘norm*1/2"
            + $"*{Step("features.denseblock2.denselayer1")}*{Step("features.denseblock2.denselayer2")}"
            + "*1/8*rhoC_classifier*sigma_classifier∘features.norm5)^2");
        Assert.Equal(expected, BoundDeriver.Derive(Architectures.DenseNet()).FimBound);
    }

    [Fact]
    public void Transformer_bound_is_a_product_of_two_residual_factors_per_block()
    {
        // ½ (σ_patch ∏_blocks (1 + L_N1 L_MHA)(1 + L_N2 σ(mlp.0∘ln_2) 1.13 σ_2) · L_N · σ(head∘ln))² with
        // every LayerNorm's γ (and before attention its β) folded into the next map, so L_N = 1/√(v_min + ε)
        // and attention sees normalised tokens of norm ≤ R = √D = 4; n = 5 tokens, d_k = 8, and per head
        // L_head = σ_V (√n ρ_P + n R ρ_V ρ_X (σ_M ρ_X R + κ/2)/√d_k), L_MHA = σ_O √(Σ_h L_head²), all of the folded weights.
        Expr eps = Expr.Rational(1, 1_000_000);
        Expr Ln(string path) => 1 / Expr.Sqrt(S($"vmin_{path}") + eps);
        Expr total = S("sigma_conv_proj");
        for (int b = 0; b < 2; b++)
        {
            string p = $"encoder.layers.encoder_layer_{b}";
            Expr radius = Expr.Sqrt(16);
            Expr sumOfSquares = Expr.Zero;
            for (int h = 0; h < 2; h++)
            {
                string a = $"{p}.self_attention∘ln_1[{h}]";
                Expr m = S($"sigmaQK_{a}");
                Expr tokenRatio = S($"rhoX_{p}.self_attention∘ln_1");
                Expr head = S($"sigmaV_{a}") * (Expr.Sqrt(5) * S($"rhoP_{a}")
                    + 5 * radius * S($"rhoV_{a}") * tokenRatio * (m * tokenRatio * radius + S($"kappa_{a}") / 2) / Expr.Sqrt(8));
                sumOfSquares += Expr.Pow(head, 2);
            }
            Expr attention = S($"sigmaO_{p}.self_attention∘ln_1") * Expr.Sqrt(sumOfSquares);
            Expr mlp = S($"sigma_{p}.mlp.0∘ln_2") * Expr.Rational(113, 100) * S($"sigma_{p}.mlp.3");
            total *= (1 + Ln($"{p}.ln_1") * attention) * (1 + Ln($"{p}.ln_2") * mlp);
        }
        total *= Ln("encoder.ln") * S("sigma_heads.head∘encoder.ln");
        ArchitectureBound bound = BoundDeriver.Derive(Architectures.Transformer());
        Assert.Equal(Expr.Half * Expr.Pow(total, 2), bound.FimBound);
        Assert.Equal(5, bound.Assumptions.Count);
        Assert.All(bound.Assumptions, a => Assert.StartsWith("vmin_", a.Symbol));
    }

    [Theory]
    [InlineData("vgg")]
    [InlineData("resnet")]
    [InlineData("densenet")]
    [InlineData("transformer")]
    public void Bound_latex_snapshot(string family)
    {
        var description = family switch
        {
            "vgg" => Architectures.Vgg(),
            "resnet" => Architectures.ResNet(),
            "densenet" => Architectures.DenseNet(),
            _ => Architectures.Transformer(),
        };
        ArchitectureBound bound = BoundDeriver.Derive(description);
        Snapshot.Verify($"FamilyBound.{family}", bound.ToLatex() + "\n\n" + bound.Describe());
    }

    [Fact]
    public void Every_factor_keeps_its_provenance_and_symbols_their_meaning()
    {
        ArchitectureBound bound = BoundDeriver.Derive(Architectures.ResNet());
        Assert.Equal("", bound.Factors[0].LayerPath);
        Assert.Equal("sequence", bound.Factors[0].Kind);
        Assert.Equal(bound.Lipschitz, bound.Factors[0].Factor);
        var conv = Assert.Single(bound.Factors, f => f.LayerPath == "layer1.0.conv1");
        Assert.Equal("conv2d", conv.Kind);
        Assert.All(bound.Symbols(), s => Assert.NotNull(s.Meaning));
        Assert.Equal(bound.Symbols().Count(), bound.Symbols().Select(s => s.Name).Distinct().Count());
    }
}

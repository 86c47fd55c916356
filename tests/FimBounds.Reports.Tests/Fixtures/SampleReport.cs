using FimBounds.Core.Architecture;
using FimBounds.Reports.Model;
using FimBounds.Reports.Ranking;

namespace FimBounds.Reports.Tests.Fixtures;

/// <summary>
/// A small, fully specified report: four models with hand-chosen numbers (no randomness), enough to
/// exercise ties, an infinite ε, a missing CW result, layers with and without measurements.
/// </summary>
public static class SampleReport
{
    public static RunMetadata Run { get; } = new()
    {
        FimBoundsVersion = "0.1.0",
        Seed = 7,
        Samples = 6,
        Dataset = "Fashion-MNIST (embedded subset, test split)",
        CacheDirectory = ".fimbounds-cache/checkpoints",
        Threads = 1,
        Estimator = "exact (K×K eigen-solve)",
        Attacks = new AttackProtocol("L∞", 8.0 / 255, 2.0 / 255, 20, 1.0, 20, 0.01, "bisection on the PGD ε, 8 steps"),
        Notes = ["Models take pixel-space inputs in [0, 1]; ε is in pixel space."],
    };

    public static TheoryStatement Theory { get; } = new(
        ["all operator norms σ = s and BatchNorm scales β = b", "equal depth: 4 weight layers per model", "LayerNorm token-variance floor v_min = 0.01"],
        ["ResNet overtakes VGG when s·b < 1.618 (crossover of (1 + s²b²)ᵈ and s^{2d}b^{2d})"]);

    /// <summary>
    /// vgg-mini (pgd-trained)'s certification: certified at 1/255 on 4 of 6 inputs, 3 at 2/255, 1 at 8/255; PGD breaks
    /// none of the 5 correct ones below 0.15, so the sandwich holds; radius ratios 0.125, 0.0667, 0.04, 0.03, 0.0133
    /// (median 0.04); Λ / found 16.7, 25, 22.9, 75, 150, 222 (median 50 — hand-computed, the tests check them). Declared before
    /// <see cref="Measurements"/>, which reads it while static fields initialise in order.
    /// </summary>
    public static CertificationMeasurement Certified { get; } = new()
    {
        Method = "crown",
        Norm = "linf",
        Epsilons = [1.0 / 255, 2.0 / 255, 8.0 / 255],
        LocalEpsilon = 1.0 / 255,
        RadiusTolerance = 1.0 / 2048,
        Inputs =
        [
            new(0, true, [true, true, true], 0.05, 0.4, 2.0, 0.12),
            new(1, true, [true, true, false], 0.02, 0.3, 5.0, 0.2),
            new(2, true, [true, true, false], 0.01, 0.25, 8.0, 0.35),
            new(3, true, [true, false, false], 0.006, 0.2, 30.0, 0.4),
            new(4, true, [false, false, false], 0.002, 0.15, 90.0, 0.6),
            new(5, false, [false, false, false], 0, 0, 200.0, 0.9),
        ],
    };

    public static IReadOnlyList<ModelMeasurement> Measurements { get; } =
    [
        new ModelMeasurement
        {
            Spec = "vgg-mini",
            Family = ArchitectureFamily.Vgg,
            Variant = ModelVariant.Standard,
            Parameters = 25_418,
            BoundText = "λ_max ≤ ½ (σ₁β₁ σ₂β₂ σ₃)²",
            BoundLatex = @"\lambda_{\max} \le \tfrac{1}{2}\left(\sigma_1\beta_1\,\sigma_2\beta_2\,\sigma_3\right)^2",
            TheoreticalRank = 2,
            BoundGlobal = 106.46,
            LambdaMax = [0.8, 1.2, 2.5, 3.1, 4.0, 6.4],
            CleanAccuracy = 0.9,
            RobustAccuracyPgd = 0.12,
            RobustAccuracyCw = 0.05,
            Layers =
            [
                new LayerBoundFactor("features.0", "σ(conv 1→8, 3×3)·β", 3.2, 1.1),
                new LayerBoundFactor("features.4", "σ(conv 8→16, 3×3)·β", 2.4, 0.9),
                new LayerBoundFactor("features.7", "max-pool 2×2", 1.0),
                new LayerBoundFactor("classifier.1", "σ(linear 784→10)", 1.9, 0.7),
            ],
            Inputs =
            [
                new(0.8, 0.09), new(1.2, 0.07), new(2.5, 0.05), new(3.1, 0.04), new(4.0, 0.03), new(6.4, double.PositiveInfinity),
            ],
            // 106.46 / 6.4 = 2.5 · 4.5 · 1.478611…, with 4.5 = 1.5 · 3.
            Looseness = new BoundLooseness(106.46 / 6.4, 2.5, 2.0, 4.5, 1.5, 3.0, 106.46 / 6.4 / (2.5 * 4.5),
            [
                new LayerLooseness("features.4", "conv2d", 2.4, 0.9, 2.4 / 0.9, 2 * Math.Log10(2.4)),
                new LayerLooseness("features.7", "maxpool2d", 1.0, 1.0, 1.0, 0.0),
            ]),
        },
        new ModelMeasurement
        {
            Spec = "vgg-mini",
            Family = ArchitectureFamily.Vgg,
            Variant = ModelVariant.PgdTrained,
            Parameters = 25_418,
            BoundText = "λ_max ≤ ½ (σ₁β₁ σ₂β₂ σ₃)²",
            BoundLatex = @"\lambda_{\max} \le \tfrac{1}{2}\left(\sigma_1\beta_1\,\sigma_2\beta_2\,\sigma_3\right)^2",
            TheoreticalRank = 2,
            BoundGlobal = 40.2,
            LambdaMax = [0.1, 0.15, 0.3, 0.35, 0.5, 0.9],
            CleanAccuracy = 0.82,
            RobustAccuracyPgd = 0.61,
            RobustAccuracyCw = 0.55,
            Layers =
            [
                new LayerBoundFactor("features.0", "σ(conv 1→8, 3×3)·β", 2.1, 0.8),
                new LayerBoundFactor("features.4", "σ(conv 8→16, 3×3)·β", 1.8, 0.6),
                new LayerBoundFactor("features.7", "max-pool 2×2", 1.0),
                new LayerBoundFactor("classifier.1", "σ(linear 784→10)", 1.6, 0.5),
            ],
            Inputs =
            [
                new(0.1, 0.4), new(0.15, 0.3), new(0.3, 0.25), new(0.35, 0.2), new(0.5, 0.15), new(0.9, null),
            ],
            Certification = Certified,
        },
        new ModelMeasurement
        {
            Spec = "resnet-mini",
            Family = ArchitectureFamily.ResNet,
            Parameters = 78_250,
            BoundText = "λ_max ≤ ½ (σ₀β₀ (1 + σ₁β₁σ₂β₂) σ_fc / 7)²",
            BoundLatex = @"\lambda_{\max} \le \tfrac{1}{2}\left(\sigma_0\beta_0\,(1 + \sigma_1\beta_1\sigma_2\beta_2)\,\sigma_{fc} / 7\right)^2",
            TheoreticalRank = 1,
            BoundGlobal = 2350,
            LambdaMax = [0.5, 0.9, 1.1, 2.0, 2.2, 3.0],
            CleanAccuracy = 0.91,
            RobustAccuracyPgd = 0.2,
            Layers =
            [
                new LayerBoundFactor("stem.0", "σ(conv 1→16, 3×3)·β", 4.1, 1.5),
                new LayerBoundFactor("layer1.0", "1 + σ_a β_a σ_b β_b", 12.5, 2.2),
                new LayerBoundFactor("pool", "global average pool 7×7", 1.0 / 7),
                new LayerBoundFactor("fc", "σ(linear 16→10)", 3.3, 1.2),
            ],
            Inputs =
            [
                new(0.5, 0.12), new(0.9, 0.1), new(1.1, 0.08), new(2.0, 0.07), new(2.2, 0.05), new(3.0, 0.04),
            ],
        },
        new ModelMeasurement
        {
            Spec = "densenet-mini",
            Family = ArchitectureFamily.DenseNet,
            Parameters = 61_032,
            BoundText = "λ_max ≤ ½ (∏ √(1 + L_h²) · β σ / 2 · σ_fc)²",
            BoundLatex = @"\lambda_{\max} \le \tfrac{1}{2}\Big(\prod_{s}\sqrt{1 + L_{h,s}^2}\;\beta\sigma\,\tfrac{1}{2}\,\sigma_{fc}\Big)^2",
            TheoreticalRank = 3,
            BoundGlobal = 1.9e5,
            LambdaMax = [1.5, 2.0, 2.6, 4.4, 5.0, 9.1],
            CleanAccuracy = 0.885,
            RobustAccuracyPgd = 0.08,
            RobustAccuracyCw = 0.03,
            Layers = [],
            Inputs =
            [
                new(1.5, 0.06), new(2.0, 0.05), new(2.6, 0.05), new(4.4, 0.03), new(5.0, 0.02), new(9.1, 0.01),
            ],
        },
    ];

    public static RankingReport Build() => RankingReportBuilder.Build(Run, Measurements, Theory);
}

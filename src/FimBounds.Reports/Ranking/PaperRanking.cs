using FimBounds.Core.Architecture;

namespace FimBounds.Reports.Ranking;

/// <summary>
/// The paper's theoretical ranking (arXiv 2606.04767), least to most robust:
/// DenseNet121 &lt; VGG16 &lt; ResNet18 ≤ ViT-B/16. Stated per family so the report can say whether the
/// algebra and the measurements agree with it; it is a reference, never an input to our own theory.
/// </summary>
internal static class PaperRanking
{
    public const string Statement = "paper (arXiv 2606.04767), least to most robust: DenseNet121 < VGG16 < ResNet18 ≤ ViT-B/16; by family";

    /// <summary>Position with 1 = most robust, or null for a family the paper does not rank.</summary>
    public static int? Position(ArchitectureFamily family) => family switch
    {
        ArchitectureFamily.Transformer => 1,
        ArchitectureFamily.ResNet => 2,
        ArchitectureFamily.Vgg => 3,
        ArchitectureFamily.DenseNet => 4,
        _ => null,
    };
}

using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// The paper's theoretical ranking (arXiv 2606.04767), least to most robust: DenseNet121 &lt; VGG16 &lt;
/// ResNet18 ≤ ViT-B/16 — written once, here. A reference to compare with, never an input to our own
/// theory (which comes from the algebra, see <see cref="FamilyRanking"/>).
/// </summary>
public static class PaperRanking
{
    /// <summary>The paper's order of its four models, least to most robust.</summary>
    public const string Order = "DenseNet121 < VGG16 < ResNet18 ≤ ViT-B/16";

    /// <summary>The same order by family.</summary>
    public const string FamilyOrder = "DenseNet < VGG < ResNet ≤ ViT";

    /// <summary>What a report says the paper's ranking is.</summary>
    public const string Statement = "paper (arXiv 2606.04767), least to most robust: " + Order + "; by family";

    /// <summary>
    /// The family's place with 1 = most robust (the project's rank convention), or null for a family the
    /// paper does not rank. ResNet and ViT, tied (≤) in the paper, are given the paper's listed order.
    /// </summary>
    public static int? Position(ArchitectureFamily family) => family switch
    {
        ArchitectureFamily.Transformer => 1,
        ArchitectureFamily.ResNet => 2,
        ArchitectureFamily.Vgg => 3,
        ArchitectureFamily.DenseNet => 4,
        _ => null,
    };

    /// <summary>
    /// Whether ranks (1 = most robust) of one architecture per family follow the paper: DenseNet least
    /// robust, then VGG, then ResNet and ViT in either order (the paper has ≤).
    /// </summary>
    public static bool Agrees(int denseNet, int vgg, int resNet, int vit) => denseNet > vgg && vgg > resNet && vgg > vit;
}

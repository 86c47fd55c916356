using FimBounds.Core.Architecture;

namespace FimBounds.Reports.Model;

public static class FamilyNames
{
    /// <summary>The stable lower-case name of a family in report files (independent of the enum's spelling).</summary>
    public static string Key(this ArchitectureFamily family) => family switch
    {
        ArchitectureFamily.Vgg => "vgg",
        ArchitectureFamily.ResNet => "resnet",
        ArchitectureFamily.DenseNet => "densenet",
        ArchitectureFamily.Transformer => "transformer",
        ArchitectureFamily.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    /// <summary>The name a person reads in tables.</summary>
    public static string Display(this ArchitectureFamily family) => family switch
    {
        ArchitectureFamily.Vgg => "VGG",
        ArchitectureFamily.ResNet => "ResNet",
        ArchitectureFamily.DenseNet => "DenseNet",
        ArchitectureFamily.Transformer => "Transformer",
        ArchitectureFamily.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };
}

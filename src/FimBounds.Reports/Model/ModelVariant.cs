namespace FimBounds.Reports.Model;

/// <summary>How a model's weights were trained. The theory does not see this; measurement and attacks do.</summary>
public enum ModelVariant
{
    Standard,
    PgdTrained,

    /// <summary>Weights given as a checkpoint (imported from PyTorch, or trained elsewhere): ranked as they are, not trained by the study.</summary>
    Checkpoint,
}

public static class ModelVariantNames
{
    /// <summary>The stable name used in report files and plot file names.</summary>
    public static string Key(this ModelVariant variant) => variant switch
    {
        ModelVariant.Standard => "standard",
        ModelVariant.PgdTrained => "pgd-trained",
        ModelVariant.Checkpoint => "checkpoint",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}

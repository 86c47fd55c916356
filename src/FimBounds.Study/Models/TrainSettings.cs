using FimBounds.Training;

namespace FimBounds.Study.Models;

/// <summary>Everything `fimbounds train` was asked for (option names in the comments).</summary>
/// <param name="Spec">&lt;spec&gt;.</param>
/// <param name="Options">--epochs, --samples, --adversarial, --seed, --optimizer, --lr, --schedule, --batch-size, --threads.</param>
/// <param name="Out">--out; null = <see cref="CheckpointPath"/>'s default.</param>
/// <param name="Data">--data.</param>
/// <param name="Specs">--specs: the user's spec assembly, if any.</param>
public sealed record TrainSettings(string Spec, TrainingOptions Options, string? Out, string? Data, string? Specs)
{
    /// <summary>--out, or &lt;name&gt;.ckpt (&lt;name&gt;-pgd.ckpt when adversarially trained) in the current directory.</summary>
    /// <param name="specName">The spec's own name (as the catalog spells it).</param>
    public string CheckpointPath(string specName) => Out ?? $"{specName}{(Options.Adversarial == AdversarialTraining.Pgd ? "-pgd" : "")}.ckpt";
}

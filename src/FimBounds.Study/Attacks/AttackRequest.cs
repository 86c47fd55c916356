using FimBounds.Core.Errors;
using FimBounds.Training.Attacks;

namespace FimBounds.Study.Attacks;

/// <summary>Everything `fimbounds attack` was asked for (option names in the comments).</summary>
/// <param name="Spec">&lt;spec&gt;.</param>
/// <param name="Checkpoint">--checkpoint.</param>
/// <param name="Attack">--attack: one of <see cref="Kinds"/>.</param>
/// <param name="Epsilon">--eps in pixel units; null = the attack's default (8/255 L∞, 1.0 L2; CW takes none).</param>
/// <param name="Steps">--steps of pgd, pgd-l2 and cw; null = 20.</param>
/// <param name="Samples">--samples: the first N test images.</param>
/// <param name="Seed">--seed of the random starts.</param>
/// <param name="MinimalEpsilon">--minimal-eps: also bisect every input's minimal PGD-L∞ ε.</param>
/// <param name="Json">--json.</param>
/// <param name="Data">--data.</param>
/// <param name="Specs">--specs: the user's spec assembly, if any.</param>
public sealed record AttackRequest(
    string Spec, string Checkpoint, string Attack, double? Epsilon, int? Steps, int Samples, long Seed, bool MinimalEpsilon, string? Json,
    string? Data, string? Specs)
{
    /// <summary>The names `--attack` accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["fgsm", "pgd", "pgd-l2", "cw"];

    /// <summary>The attack's settings, with the paper's defaults where ε or steps are not given.</summary>
    public AttackSettings Settings()
    {
        if (Attack == "cw" && Epsilon is not null)
        {
            throw new UsageException("--eps does not apply to cw (Carlini–Wagner L2 is unbounded; it minimises ‖δ‖₂). Drop --eps or use --attack pgd-l2.");
        }
        AttackKind attackKind = Attack switch
        {
            "fgsm" => AttackKind.Fgsm,
            "pgd" => AttackKind.Pgd,
            "pgd-l2" => AttackKind.PgdL2,
            "cw" => AttackKind.Cw,
            _ => throw new ArgumentOutOfRangeException(nameof(Attack), Attack, $"not one of {string.Join(", ", Kinds)}"),
        };
        AttackSettings settings = AttackSettings.Default(attackKind, Epsilon) with { Seed = Seed };
        // The step size stays the paper's ε/4 (2/255 at 8/255); only the number of steps changes.
        return Steps is { } n && attackKind != AttackKind.Fgsm ? settings with { Steps = n } : settings;
    }
}

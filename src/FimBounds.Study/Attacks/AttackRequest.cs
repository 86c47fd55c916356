using System.Globalization;
using FimBounds.Core.Errors;
using FimBounds.Training.Attacks;

namespace FimBounds.Study.Attacks;

/// <summary>The attack a user asked for, checked: its kind, budget and steps become <see cref="AttackSettings"/>.</summary>
public static class AttackRequest
{
    /// <summary>The names `--attack` accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["fgsm", "pgd", "pgd-l2", "cw"];

    /// <summary>Settings for <paramref name="kind"/> with the paper's defaults where ε or steps are not given.</summary>
    public static AttackSettings Settings(string kind, double? epsilon, int? steps, long seed)
    {
        if (epsilon is { } e && (!(e >= 0) || !double.IsFinite(e)))
        {
            throw new UsageException($"--eps must be a non-negative number (pixel scale [0,1], e.g. 0.0314 for 8/255), not {e.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (steps is { } s && s <= 0)
        {
            throw new UsageException($"--steps must be a positive integer, not {s}.");
        }
        if (kind == "cw" && epsilon is not null)
        {
            throw new UsageException("--eps does not apply to cw (Carlini–Wagner L2 is unbounded; it minimises ‖δ‖₂). Drop --eps or use --attack pgd-l2.");
        }
        AttackKind attackKind = kind switch
        {
            "fgsm" => AttackKind.Fgsm,
            "pgd-l2" => AttackKind.PgdL2,
            "cw" => AttackKind.Cw,
            _ => AttackKind.Pgd,
        };
        AttackSettings settings = AttackSettings.Default(attackKind, epsilon) with { Seed = seed };
        // The step size stays the paper's ε/4 (2/255 at 8/255); only the number of steps changes.
        return steps is { } n && attackKind != AttackKind.Fgsm ? settings with { Steps = n } : settings;
    }
}

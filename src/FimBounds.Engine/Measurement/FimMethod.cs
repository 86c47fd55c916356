using FimBounds.Core.Errors;

namespace FimBounds.Engine.Measurement;

/// <summary>How λ_max(F(x)) is measured. DESIGN.md §2 "Estimators".</summary>
public enum FimMethod
{
    /// <summary>White-box, exact: K input gradients per input (batched), K×K symmetric eigen-solve.</summary>
    Exact,

    /// <summary>White-box, matrix-free Lanczos on v ↦ JᵀA(p)Jv (JVP + VJP per step); for many classes.</summary>
    Lanczos,

    /// <summary>White-box, matrix-free power iteration on the same operator.</summary>
    Power,

    /// <summary>White-box, Hutchinson estimate of tr F; brackets λ_max by tr/(K−1) ≤ λ_max ≤ tr.</summary>
    Hutchinson,

    /// <summary>Black-box (forward passes only): the consistent sketch estimator with a bootstrap interval.</summary>
    BlackBox,

    /// <summary>The reference code's white-box estimator: max Rayleigh quotient over 100 random probes. Biased low.</summary>
    Srp,

    /// <summary>The reference code's black-box estimator: max_j Σ_k p_k D_kj². Biased low by orders of magnitude.</summary>
    SrpBlackBox,
}

/// <summary>Command-line names and properties of the methods.</summary>
public static class FimMethods
{
    private static readonly (FimMethod Method, string Name)[] Names =
    {
        (FimMethod.Exact, "exact"),
        (FimMethod.Lanczos, "lanczos"),
        (FimMethod.Power, "power"),
        (FimMethod.Hutchinson, "hutchinson"),
        (FimMethod.BlackBox, "blackbox"),
        (FimMethod.Srp, "srp"),
        (FimMethod.SrpBlackBox, "srp-blackbox"),
    };

    public static IReadOnlyList<string> AllNames { get; } = Names.Select(n => n.Name).ToArray();

    public static string CliName(this FimMethod method) => Names.First(n => n.Method == method).Name;

    public static FimMethod Parse(string name)
    {
        foreach ((FimMethod method, string cli) in Names)
        {
            if (string.Equals(cli, name, StringComparison.OrdinalIgnoreCase))
            {
                return method;
            }
        }
        throw new UsageException($"unknown method '{name}'. Use one of: {string.Join(", ", AllNames)}.");
    }

    /// <summary>Compatibility modes that reproduce the reference code's estimators, which are biased low.</summary>
    public static bool IsBiasedLow(this FimMethod method) => method is FimMethod.Srp or FimMethod.SrpBlackBox;

    /// <summary>One line saying what the method's number means, for tables and reports.</summary>
    public static string Describe(this FimMethod method) => method switch
    {
        FimMethod.Exact => "exact λ_max (K input gradients, K×K eigen-solve)",
        FimMethod.Lanczos => "Lanczos Ritz value (matrix-free, converged to the residual tolerance)",
        FimMethod.Power => "power-iteration Rayleigh quotient (matrix-free)",
        FimMethod.Hutchinson => "Hutchinson trace estimate; λ_max lies in [tr/(K−1), tr]",
        FimMethod.BlackBox => "black-box sketch estimate (forward passes only) with a bootstrap interval",
        FimMethod.Srp => "SRP compatibility: max Rayleigh quotient over random probes (biased low)",
        FimMethod.SrpBlackBox => "SRP compatibility: max over directions of Σ_k p_k D_kj² (biased low, ~tr F/d in scale)",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}

using System.Text.Json.Serialization;

namespace FimBounds.Training.Attacks;

[JsonConverter(typeof(JsonStringEnumConverter<AttackKind>))]
public enum AttackKind
{
    /// <summary>Fast gradient sign method: one L∞ step of size ε.</summary>
    Fgsm,
    /// <summary>Projected gradient descent in the L∞ ball, random start.</summary>
    Pgd,
    /// <summary>Projected gradient descent in the L2 ball, random start.</summary>
    PgdL2,
    /// <summary>Carlini–Wagner L2 (tanh reparameterisation, Adam on ‖δ‖² + c·margin).</summary>
    Cw,
}

/// <summary>
/// An attack and its budget, all in pixel space [0,1] (the model normalises internally). The defaults
/// are the paper's protocol: PGD-L∞ ε = 8/255, step 2/255, 20 steps, random start; CW-L2 c = 1,
/// 20 steps, learning rate 0.01.
/// </summary>
public sealed record AttackSettings
{
    public AttackKind Kind { get; init; }

    /// <summary>Budget: ‖δ‖∞ ≤ ε (FGSM, PGD) or ‖δ‖₂ ≤ ε (PGD-L2). Unused by CW, which is unbounded.</summary>
    public double Epsilon { get; init; }

    /// <summary>Step size of PGD (L∞: per-pixel; L2: per-step L2 length).</summary>
    public double StepSize { get; init; }

    public int Steps { get; init; } = 1;

    public bool RandomStart { get; init; }

    /// <summary>CW: weight of the margin term against ‖δ‖².</summary>
    public double C { get; init; } = 1.0;

    /// <summary>CW: Adam learning rate in the tanh space.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>CW: the margin κ the wrong class must win by.</summary>
    public double Confidence { get; init; }

    /// <summary>Seed of the random starts.</summary>
    public long Seed { get; init; }

    public static AttackSettings Fgsm(double epsilon = 8.0 / 255.0) =>
        new() { Kind = AttackKind.Fgsm, Epsilon = epsilon, StepSize = epsilon, Steps = 1 };

    public static AttackSettings Pgd(double epsilon = 8.0 / 255.0, double stepSize = 2.0 / 255.0, int steps = 20, bool randomStart = true) =>
        new() { Kind = AttackKind.Pgd, Epsilon = epsilon, StepSize = stepSize, Steps = steps, RandomStart = randomStart };

    /// <summary>PGD-L2; ε = 1.0 on 28×28 (≈ 8/255 spread over ~30 % of the pixels), 20 steps of ε/8.</summary>
    public static AttackSettings PgdL2(double epsilon = 1.0, double? stepSize = null, int steps = 20, bool randomStart = true) =>
        new() { Kind = AttackKind.PgdL2, Epsilon = epsilon, StepSize = stepSize ?? epsilon / 8, Steps = steps, RandomStart = randomStart };

    public static AttackSettings Cw(double c = 1.0, int steps = 20, double learningRate = 0.01, double confidence = 0.0) =>
        new() { Kind = AttackKind.Cw, C = c, Steps = steps, LearningRate = learningRate, Confidence = confidence };

    /// <summary>The paper's setting of an attack kind, with ε overridden when given.</summary>
    public static AttackSettings Default(AttackKind kind, double? epsilon = null) => kind switch
    {
        AttackKind.Fgsm => Fgsm(epsilon ?? 8.0 / 255.0),
        AttackKind.Pgd => epsilon is { } e ? Pgd(e, stepSize: e / 4) : Pgd(),
        AttackKind.PgdL2 => PgdL2(epsilon ?? 1.0),
        AttackKind.Cw => Cw(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string Describe() => Kind switch
    {
        AttackKind.Fgsm => $"FGSM ε={Epsilon:G4}",
        AttackKind.Pgd => $"PGD-L∞ ε={Epsilon:G4} step={StepSize:G4} steps={Steps}{(RandomStart ? " random start" : "")}",
        AttackKind.PgdL2 => $"PGD-L2 ε={Epsilon:G4} step={StepSize:G4} steps={Steps}{(RandomStart ? " random start" : "")}",
        AttackKind.Cw => $"CW-L2 c={C:G4} steps={Steps} lr={LearningRate:G4} κ={Confidence:G4}",
        _ => Kind.ToString(),
    };

    public void Validate()
    {
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon))
        {
            throw new ArgumentException("ε must be a non-negative number");
        }
        if (Steps < 1)
        {
            throw new ArgumentException("steps must be at least 1");
        }
        if (!(StepSize >= 0) || !(C >= 0) || !(LearningRate > 0))
        {
            throw new ArgumentException("step size and c must be non-negative and the learning rate positive");
        }
    }
}

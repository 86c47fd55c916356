using System.Text.Json.Serialization;

namespace FimBounds.Training.Attacks;

/// <summary>One attacked input: its label, the clean and adversarial predictions, the perturbation's size.</summary>
public sealed record AttackOutcome(int Index, int Label, int CleanPrediction, int AdversarialPrediction, double LInf, double L2)
{
    public bool CleanCorrect => CleanPrediction == Label;

    /// <summary>Correct on the clean input and still correct after the attack.</summary>
    public bool Robust => CleanCorrect && AdversarialPrediction == Label;

    /// <summary>The attack turned a correct prediction into a wrong one.</summary>
    public bool Fooled => CleanCorrect && AdversarialPrediction != Label;
}

/// <summary>An attack run over a dataset: robust accuracy and success rate, with every input's outcome.</summary>
public sealed record AttackReport(string Attack, AttackSettings Settings, int Count, double Seconds, IReadOnlyList<AttackOutcome> Inputs)
{
    public int CleanCorrect => Inputs.Count(i => i.CleanCorrect);

    public int RobustCorrect => Inputs.Count(i => i.Robust);

    public double CleanAccuracy => Count == 0 ? double.NaN : (double)CleanCorrect / Count;

    /// <summary>Fraction of all inputs classified correctly both clean and under attack.</summary>
    public double RobustAccuracy => Count == 0 ? double.NaN : (double)RobustCorrect / Count;

    /// <summary>Fraction of the correctly classified inputs the attack fooled.</summary>
    public double SuccessRate => CleanCorrect == 0 ? double.NaN : (double)(CleanCorrect - RobustCorrect) / CleanCorrect;

    /// <summary>Mean L2 size of the successful perturbations (NaN when none succeeded).</summary>
    public double MeanL2OfSuccesses => Inputs.Where(i => i.Fooled).Select(i => i.L2).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Mean L∞ size of the successful perturbations (NaN when none succeeded).</summary>
    public double MeanLInfOfSuccesses => Inputs.Where(i => i.Fooled).Select(i => i.LInf).DefaultIfEmpty(double.NaN).Average();

    [JsonIgnore]
    public string Summary =>
        $"{Attack}: clean accuracy {CleanAccuracy:P1}, robust accuracy {RobustAccuracy:P1}, success rate {SuccessRate:P1} on {Count} inputs ({Seconds:F1} s)";
}

/// <summary>Progress of an attack run: inputs done of the total.</summary>
public sealed record AttackProgress(int Done, int Total, int Fooled);

namespace FimBounds.Reports.Model;

/// <summary>
/// What the theoretical ranking rests on, as the algebra's family comparison states it: the common
/// assumptions (e.g. "all σ = s, β = b, equal depth") and its findings (e.g. crossover points).
/// </summary>
public sealed record TheoryStatement(IReadOnlyList<string> Assumptions, IReadOnlyList<string> Findings)
{
    public static TheoryStatement None { get; } = new([], []);
}

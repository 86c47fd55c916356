using System.Globalization;
using FimBounds.Core.Bounds;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Model;

namespace FimBounds.Study.Ranking;

/// <summary>
/// The theoretical rank of each spec, from the algebra's family comparison (<see cref="FamilyRanking"/>)
/// of the specs' own bounds under the default common assumptions — computed, never typed in — and the
/// assumptions and findings stated in words for the report.
/// </summary>
public sealed record TheoreticalRanks(IReadOnlyDictionary<string, int> RankBySpec, TheoryStatement Statement)
{
    public static TheoreticalRanks Of(IReadOnlyList<IModelSpec> specs)
    {
        FamilyRankingResult result = FamilyRanking.Rank(specs.Select(s => s.Description), RankingAssumptions.Default);
        // Competition ranks on the bound's value at the reference point, 1 = smallest bound = most robust.
        var ranks = result.Rows.ToDictionary(r => r.Architecture, r => r.RankAtReference, StringComparer.Ordinal);

        RankingAssumptions a = result.Assumptions;
        var assumptions = new List<string>(a.Statements);
        assumptions.AddRange(a.Fixed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {Format(kv.Value)}"));
        assumptions.Add($"bounds compared at {a.Variable} = {Format(a.Reference)} (rank 1 = smallest bound = most robust)");

        var findings = new List<string>();
        foreach (FamilyRankingRow row in result.Rows)   // most robust first, ties by name
        {
            findings.Add($"{row.Architecture}: log10 bound at {a.Variable} = {Format(a.Reference)} is {row.Log10AtReference.ToString("F3", CultureInfo.InvariantCulture)}" +
                (row.Leading is { } lead ? $"; leading term as {a.Variable} grows: {lead.ToText(a.Variable)}" : ""));
        }
        foreach (Crossover c in result.Crossovers)
        {
            findings.Add($"{c.First} and {c.Second} cross at {a.Variable} = {Format(c.At)}; above it {c.LargerAbove} has the larger bound");
        }
        if (result.AgreesWithPaper(asymptotic: false) is bool agrees)
        {
            findings.Add(agrees
                ? $"the order at the reference point agrees with the paper's {PaperRanking.FamilyOrder} (least to most robust)"
                : $"the order at the reference point differs from the paper's {PaperRanking.FamilyOrder} (least to most robust)");
        }
        return new TheoreticalRanks(ranks, new TheoryStatement(assumptions, findings));
    }

    private static string Format(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}

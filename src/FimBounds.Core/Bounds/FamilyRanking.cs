using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>One architecture in the theoretical ranking. Rank 1 = smallest bound = most robust (the convention of every ranking in FimBounds).</summary>
public sealed record FamilyRankingRow(
    string Architecture,
    ArchitectureFamily? Family,
    Expr Bound,
    LeadingTerm? Leading,
    double Log10AtReference,
    int RankAtReference,
    int AsymptoticRank);

/// <summary>A point where two bounds are equal; <see cref="LargerAbove"/> is the one larger just above it.</summary>
public sealed record Crossover(string First, string Second, double At, string LargerAbove);

/// <summary>The theoretical ranking: rows, pairwise crossovers, and agreement with the paper's ranking.</summary>
public sealed record FamilyRankingResult(
    RankingAssumptions Assumptions,
    IReadOnlyList<FamilyRankingRow> Rows,
    IReadOnlyList<BoundComparison> Comparisons,
    IReadOnlyList<Crossover> Crossovers)
{
    /// <summary>
    /// Whether an ordering (by the given rank) agrees with <see cref="PaperRanking"/>. Null when a family
    /// is missing or repeated.
    /// </summary>
    public bool? AgreesWithPaper(bool asymptotic)
    {
        var rankOf = new Dictionary<ArchitectureFamily, int>();
        foreach (FamilyRankingRow row in Rows)
        {
            if (row.Family is not ArchitectureFamily f || rankOf.ContainsKey(f))
            {
                return null;
            }
            rankOf[f] = asymptotic ? row.AsymptoticRank : row.RankAtReference;
        }
        foreach (ArchitectureFamily f in new[] { ArchitectureFamily.DenseNet, ArchitectureFamily.Vgg, ArchitectureFamily.ResNet, ArchitectureFamily.Transformer })
        {
            if (!rankOf.ContainsKey(f))
            {
                return null;
            }
        }
        return PaperRanking.Agrees(rankOf[ArchitectureFamily.DenseNet], rankOf[ArchitectureFamily.Vgg], rankOf[ArchitectureFamily.ResNet],
            rankOf[ArchitectureFamily.Transformer]);
    }

    /// <summary>The ranking as a Markdown table with its assumptions, crossovers and the comparison with the paper.</summary>
    public string Render()
    {
        string v = Assumptions.Variable;
        var sb = new StringBuilder();
        sb.Append("Theoretical ranking of λ_max(F) bounds (rank 1 = smallest bound = most robust)\n\n");
        sb.Append("Assumptions:\n");
        foreach (string statement in Assumptions.Statements)
        {
            sb.Append("- ").Append(statement).Append('\n');
        }
        var fixedNames = new List<string>(Assumptions.Fixed.Keys);
        fixedNames.Sort(StringComparer.Ordinal);
        foreach (string name in fixedNames)
        {
            sb.Append("- ").Append(name).Append(" = ").Append(Format(Assumptions.Fixed[name])).Append('\n');
        }
        sb.Append("- compared along ").Append(v).Append(": at ").Append(v).Append(" = ").Append(Format(Assumptions.Reference))
          .Append(", as ").Append(v).Append(" → ∞, and for crossovers over ").Append(v).Append(" ∈ [")
          .Append(Format(Assumptions.From)).Append(", ").Append(Format(Assumptions.To)).Append("]\n\n");

        sb.Append("| Architecture | Family | Bound as ").Append(v).Append(" → ∞ | Bound at ").Append(v).Append(" = ")
          .Append(Format(Assumptions.Reference)).Append(" | Rank at ").Append(v).Append(" = ").Append(Format(Assumptions.Reference))
          .Append(" | Rank as ").Append(v).Append(" → ∞ |\n");
        sb.Append("|---|---|---|---|---|---|\n");
        foreach (FamilyRankingRow row in Rows)
        {
            sb.Append("| ").Append(row.Architecture)
              .Append(" | ").Append(row.Family?.ToString() ?? "—")
              .Append(" | ").Append(row.Leading is LeadingTerm lt ? lt.ToText(v) : "—")
              .Append(" | ").Append(NumberFormat.FromLog10(row.Log10AtReference))
              .Append(" | ").Append(row.RankAtReference.ToString(CultureInfo.InvariantCulture))
              .Append(" | ").Append(row.AsymptoticRank.ToString(CultureInfo.InvariantCulture))
              .Append(" |\n");
        }
        sb.Append('\n');
        if (Crossovers.Count == 0)
        {
            sb.Append("Crossovers: none in the interval (the order is the same everywhere in it).\n");
        }
        else
        {
            sb.Append("Crossovers (two bounds equal):\n");
            foreach (Crossover c in Crossovers)
            {
                sb.Append("- ").Append(c.First).Append(" = ").Append(c.Second).Append(" at ").Append(v).Append(" = ")
                  .Append(c.At.ToString("G6", CultureInfo.InvariantCulture)).Append("; above it ").Append(c.LargerAbove).Append(" is larger\n");
            }
        }
        sb.Append('\n');
        sb.Append("Pairwise order (from the algebra's comparison of the two bounds):\n");
        foreach (BoundComparison c in Comparisons)
        {
            sb.Append("- ").Append(Describe(c)).Append('\n');
        }
        sb.Append('\n');
        sb.Append("Paper's theoretical ranking, least to most robust: ").Append(PaperRanking.Order).Append(".\n");
        sb.Append("- at ").Append(v).Append(" = ").Append(Format(Assumptions.Reference)).Append(": ").Append(Agreement(AgreesWithPaper(false))).Append('\n');
        sb.Append("- as ").Append(v).Append(" → ∞: ").Append(Agreement(AgreesWithPaper(true))).Append('\n');
        return sb.ToString();
    }

    private string NameOf(Expr bound)
    {
        foreach (FamilyRankingRow row in Rows)
        {
            if (ReferenceEquals(row.Bound, bound) || row.Bound.Equals(bound))
            {
                return row.Architecture;
            }
        }
        return bound.ToText();
    }

    private string Describe(BoundComparison c)
    {
        string a = NameOf(c.First);
        string b = NameOf(c.Second);
        string v = c.Variable;
        if (c.Ratio is NumberExpr ratio)
        {
            return $"{a} / {b} = {ratio.ToText()} exactly (the same function of {v} up to a constant)";
        }
        string range = $"{v} ∈ [{Format(c.From)}, {Format(c.To)}]";
        string atInfinity = c.AsymptoticSign switch
        {
            > 0 => $"{a} grows faster as {v} → ∞",
            < 0 => $"{b} grows faster as {v} → ∞",
            _ => $"no asymptotic order found as {v} → ∞",
        };
        if (c.Crossovers.Count == 0)
        {
            int sign = c.SignAt(c.From, Assumptions.Fixed);
            string larger = sign >= 0 ? a : b;
            string smaller = sign >= 0 ? b : a;
            return $"{larger} > {smaller} for all {range}; {atInfinity}";
        }
        var points = new System.Collections.Generic.List<string>();
        foreach (double x in c.Crossovers)
        {
            points.Add(x.ToString("G6", CultureInfo.InvariantCulture));
        }
        return $"{a} and {b} cross at {v} = {string.Join(", ", points)} in {range}; {atInfinity}";
    }

    private static string Agreement(bool? agrees) => agrees switch
    {
        true => "agrees",
        false => "disagrees",
        _ => "not comparable (needs exactly one architecture of each of the four families)",
    };

    private static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>
/// Ranks architectures by their FIM bounds under a common assumption — entirely from the algebra's
/// comparison of the specialised bounds (nothing typed in).
/// </summary>
public static class FamilyRanking
{
    public static FamilyRankingResult Rank(IEnumerable<ArchitectureDescription> descriptions, RankingAssumptions? assumptions = null)
    {
        var entries = new List<(string, ArchitectureFamily?, ArchitectureBound)>();
        foreach (ArchitectureDescription d in descriptions)
        {
            entries.Add((d.Name, d.Family, BoundDeriver.Derive(d)));
        }
        return Rank(entries, assumptions ?? RankingAssumptions.Default);
    }

    public static FamilyRankingResult Rank(IEnumerable<ArchitectureBound> bounds, RankingAssumptions? assumptions = null)
    {
        var entries = new List<(string, ArchitectureFamily?, ArchitectureBound)>();
        foreach (ArchitectureBound b in bounds)
        {
            entries.Add((b.Architecture, null, b));
        }
        return Rank(entries, assumptions ?? RankingAssumptions.Default);
    }

    private static FamilyRankingResult Rank(List<(string Name, ArchitectureFamily? Family, ArchitectureBound Bound)> entries, RankingAssumptions assumptions)
    {
        string v = assumptions.Variable;
        var specialised = new List<Expr>(entries.Count);
        var leading = new List<LeadingTerm?>(entries.Count);
        var atReference = new List<double>(entries.Count);
        var values = new Dictionary<string, double>();
        foreach (var kv in assumptions.Fixed)
        {
            values[kv.Key] = kv.Value;
        }
        values[v] = assumptions.Reference;
        foreach (var (_, _, bound) in entries)
        {
            Expr e = assumptions.Apply(bound.FimBound);
            specialised.Add(e);
            leading.Add(LeadingTerm.TryFind(e, v, assumptions.Fixed, out LeadingTerm lt) ? lt : null);
            atReference.Add(LogEvaluator.TryLog(e, values, out double log) ? log / Math.Log(10) : Math.Log10(e.Evaluate(values)));
        }

        var comparisons = new List<BoundComparison>();
        var crossovers = new List<Crossover>();
        for (int i = 0; i < entries.Count; i++)
        {
            for (int j = i + 1; j < entries.Count; j++)
            {
                BoundComparison c = BoundComparison.Compare(specialised[i], specialised[j], v, assumptions.Fixed, assumptions.From, assumptions.To);
                comparisons.Add(c);
                foreach (double at in c.Crossovers)
                {
                    int above = c.SignAt(Math.Min(at * (1 + 1e-6), assumptions.To), assumptions.Fixed);
                    crossovers.Add(new Crossover(entries[i].Name, entries[j].Name, at, above >= 0 ? entries[i].Name : entries[j].Name));
                }
            }
        }
        crossovers.Sort((a, b) => a.At.CompareTo(b.At));

        int[] referenceRank = Ranks(entries.Count, (a, b) => atReference[a].CompareTo(atReference[b]));
        int[] asymptoticRank = Ranks(entries.Count, (a, b) =>
            leading[a] is LeadingTerm la && leading[b] is LeadingTerm lb ? la.CompareTo(lb) : 0);
        var rows = new List<FamilyRankingRow>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            rows.Add(new FamilyRankingRow(entries[i].Name, entries[i].Family, specialised[i], leading[i], atReference[i], referenceRank[i], asymptoticRank[i]));
        }
        rows.Sort((a, b) => a.RankAtReference != b.RankAtReference ? a.RankAtReference.CompareTo(b.RankAtReference) : string.CompareOrdinal(a.Architecture, b.Architecture));
        return new FamilyRankingResult(assumptions, rows, comparisons, crossovers);
    }

    /// <summary>Competition ranks (1, 2, 2, 4) under an ordering where earlier = smaller bound = more robust.</summary>
    private static int[] Ranks(int count, Comparison<int> compare)
    {
        var ranks = new int[count];
        for (int i = 0; i < count; i++)
        {
            int rank = 1;
            for (int j = 0; j < count; j++)
            {
                if (j != i && compare(j, i) < 0)
                {
                    rank++;
                }
            }
            ranks[i] = rank;
        }
        return ranks;
    }
}

using System.Globalization;
using System.Text;
using FimBounds.Reports.Formatting;
using FimBounds.Reports.Model;
using FimBounds.Reports.Plots;
using FimBounds.Reports.Tables;

namespace FimBounds.Reports.Markdown;

/// <summary>
/// report.md: the tables a person reads in a pull request, the bounds in LaTeX ($…$). Deterministic:
/// "\n" line ends, invariant culture, rounded numbers, no timestamps.
/// </summary>
public static class MarkdownRenderer
{
    public static string Render(RankingReport report)
    {
        var md = new StringBuilder();
        md.Append("# FimBounds ranking report\n\n");
        md.Append("Theory vs measurement vs attacks: which architecture is most robust, in theory and in fact, and how tight is the theory? ")
          .Append("The metric is λ_max(F(x)), the largest eigenvalue of the input-space Fisher information (larger = more sensitive). ")
          .Append($"Numbers are rounded to {RankingReport.SignificantDigits} significant digits; rank 1 = most robust; ties share the mean rank.\n\n");

        foreach (string line in Headline.Lines(report))
        {
            md.Append("- ").Append(line).Append('\n');
        }

        Section(md, "Run");
        foreach (var (name, value) in RunFacts(report.Run))
        {
            md.Append("- ").Append(name).Append(": ").Append(value).Append('\n');
        }

        Section(md, "Assumptions of the theory");
        if (report.Theory.Assumptions.Count == 0)
        {
            md.Append("- none stated\n");
        }
        foreach (string assumption in report.Theory.Assumptions)
        {
            md.Append("- ").Append(assumption).Append('\n');
        }
        foreach (string finding in report.Theory.Findings)
        {
            md.Append("- Finding: ").Append(finding).Append('\n');
        }

        Section(md, "Symbolic bounds");
        foreach (ModelReport m in report.Models.DistinctBy(m => m.Spec))
        {
            md.Append("- **").Append(m.Spec).Append("** (").Append(m.Family.Display()).Append("): $")
              .Append(m.BoundLatex).Append("$\n");
        }

        TableSection(md, ReportTables.Models(report));
        TableSection(md, ReportTables.BoundVsMeasured(report));
        TableSection(md, ReportTables.Rankings(report));
        TableSection(md, ReportTables.RankingCriteria(report));
        TableSection(md, ReportTables.Agreement(report));
        TableSection(md, ReportTables.Sensitivity(report));
        md.Append('\n').Append("Pairs with no adversarial example within the attack budget, or with a non-positive value, are excluded. ")
          .Append("Method: ").Append(report.PooledEpsilonCorrelation.Method).Append(".\n");

        if (report.Models.Any(m => m.Looseness is not null))
        {
            TableSection(md, ReportTables.Looseness(report));
            md.Append("\n![Where the looseness comes from](plots/").Append(LoosenessPlot.File).Append(")\n");
        }

        if (CertificationTables.Any(report))
        {
            TableSection(md, CertificationTables.Sandwich(report));
            md.Append('\n').Append(CertificationTables.Note).Append('\n');
            md.Append("\n![Certified radius vs PGD minimal ε](plots/").Append(CertificationTables.PlotFile).Append(")\n");
        }

        Section(md, "Certificate gap per layer");
        md.Append(CertificateGapNote).Append('\n');
        foreach (ModelReport m in report.Models)
        {
            md.Append("\n### ").Append(m.Label).Append("\n\n");
            if (m.Layers.Count == 0)
            {
                md.Append("No per-layer factors were recorded.\n");
                continue;
            }
            MarkdownTable.Append(md, ReportTables.Layers(m));
        }
        return md.ToString();
    }

    /// <summary>What the per-layer ratio is and is not, shared with the HTML report.</summary>
    public const string CertificateGapNote =
        "Certificate gap = certified factor / a factor the weights are known to attain (≥ 1; near 1 means the layer's norm is computed tightly). " +
        "It is only the certificates' part of the gap: how much the product of layer norms overestimates the network's Jacobian is the Composition column above.";

    /// <summary>The run's facts as name/value pairs, shared with the HTML report.</summary>
    public static IReadOnlyList<(string Name, string Value)> RunFacts(RunMetadata run)
    {
        var facts = new List<(string, string)>
        {
            ("FimBounds version", run.FimBoundsVersion),
            ("Dataset", run.Dataset),
            ("Samples per model", run.Samples.ToString(CultureInfo.InvariantCulture)),
            ("Seed", run.Seed.ToString(CultureInfo.InvariantCulture)),
            ("Threads", run.Threads.ToString(CultureInfo.InvariantCulture)),
            ("Estimator", run.Estimator),
            ("Cache directory", run.CacheDirectory),
        };
        if (run.Attacks is { } a)
        {
            facts.Add(("PGD", $"{a.Norm}, ε {Numbers.Format(a.PgdEpsilon)}, step {Numbers.Format(a.PgdStepSize)}, {a.PgdSteps} steps"));
            if (a.CwSteps is { } steps)
            {
                facts.Add(("CW", $"c {Numbers.Format(a.CwConstant)}, {steps} steps, learning rate {Numbers.Format(a.CwLearningRate)}"));
            }
            facts.Add(("Minimal ε", a.MinimalEpsilonMethod));
        }
        facts.AddRange(run.Notes.Select(n => ("Note", n)));
        return facts;
    }

    private static void Section(StringBuilder md, string title) => md.Append("\n## ").Append(title).Append("\n\n");

    private static void TableSection(StringBuilder md, Table table)
    {
        Section(md, table.Title);
        MarkdownTable.Append(md, table);
    }
}

using System.Globalization;
using FimBounds.Engine.Benchmarks;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>bench's certification lines: per spec and ε, IBP's and CROWN's cost as multiples of the exact FIM, beside the targets.</summary>
public static class CertificationBenchLines
{
    public static void Render(IAnsiConsole console, IReadOnlyList<CertificationBench> rows)
    {
        foreach (CertificationBench row in rows)
        {
            if (row.Unsupported is { } reason)
            {
                console.WriteLine($"Certification {row.Spec}: {reason}");
                continue;
            }
            string costs = string.Join("; ", row.PerEpsilon.Select(c =>
                $"ε {F(c.Epsilon * 255, "0.#")}/255: IBP {F(c.IbpOverExact, "0.0")}× (≤ {CertificationBenchmark.IbpTarget:0}) {Verdict(c.IbpTargetMet)}, " +
                $"CROWN-IBP {F(c.CrownIbpOverExact, "0.0")}×, " +
                $"CROWN {F(c.CrownOverExact, "0.0")}× (≤ {CertificationBenchmark.CrownTarget:0}) {Verdict(c.CrownTargetMet)}, " +
                $"α-CROWN {F(c.AlphaCrownOverExact, "0.0")}×; certified IBP/CROWN-IBP/CROWN/α-CROWN {c.IbpCertified}/{c.CrownIbpCertified}/{c.CrownCertified}/{c.AlphaCrownCertified}"));
            console.WriteLine($"Certification {row.Spec} ({row.Inputs} inputs, CROWN and α-CROWN on the first {row.LinearInputs}, exact FIM {F(row.ExactMsPerInput, "0.0")} ms/input in float64): {costs}");
        }
    }

    private static string Verdict(bool met) => met ? "ok" : "MISSED";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

using System.Globalization;
using FimBounds.Study.Benchmarks.Peers;
using Spectre.Console;

namespace FimBounds.Cli.Rendering;

/// <summary>`bench`'s PyTorch peers: each peer's ms/input beside FimBounds' exact method, the speed-up with its target, and the λ_max agreement.</summary>
public static class PeerTable
{
    public static void Render(IAnsiConsole console, IReadOnlyList<PeerRow> peers)
    {
        if (peers.Count == 0)
        {
            return;
        }
        var table = new Table().Border(TableBorder.Simple);
        foreach (string header in new[] { "spec", "PyTorch peer", "peer ms/in", "exact ms/in", "FimBounds faster", "λ_max agreement" })
        {
            table.AddColumn(header is "spec" or "PyTorch peer" ? new TableColumn(header) : new TableColumn(header).RightAligned());
        }
        foreach (PeerRow row in peers)
        {
            if (row.LambdaMaxAgreement is not { } agreement)
            {
                table.AddRow(Markup.Escape(row.Spec), Markup.Escape(row.Name), "–", "–", Markup.Escape(row.Status), "–");
                continue;
            }
            table.AddRow(
                Markup.Escape(row.Spec),
                Markup.Escape(row.Name),
                F(row.MsPerInput, "F3"),
                F(row.FimBoundsMsPerInput, "F3"),
                Markup.Escape($"{F(row.Ratio, "F2")}× (≥ {F(row.Target, "G3")}) {(row.TargetMet ? "ok" : "MISSED")}"),
                Markup.Escape($"{agreement.MaxRelativeDifference.ToString("E1", CultureInfo.InvariantCulture)} (≤ {F(agreement.Tolerance, "0e0")}, {agreement.Compared} inputs, " +
                              $"{agreement.TiesExcluded} with ties left out) {(agreement.Agrees ? "ok" : "MISSED")}"));
        }
        console.Write(table);
        PeerRow? first = peers.FirstOrDefault(p => p.TorchVersion is not null);
        console.WriteLine(first is null
            ? "PyTorch peers: " + peers[0].Status
            : $"PyTorch {first.TorchVersion}, {first.Threads} thread(s), float32, the same weights and inputs; rounds interleaved with FimBounds' exact method; " +
              $"reference loop on the first {peers.First(p => p.Name == PeerRow.LoopName).Inputs} inputs.");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

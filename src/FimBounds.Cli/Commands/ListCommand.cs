using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FimBounds.Core.Architecture;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Json;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>`fimbounds list [--json]`: every architecture spec of the zoo with its shape, size and depth.</summary>
public static class ListCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print the list as JSON." };

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("list", "List the architecture specs (the zoo, or those of --specs PATH): name, family, input shape, classes, parameters, layers.");
        command.Options.Add(Json);
        command.Options.Add(Specs);
        command.SetAction(parse => Run(parse.GetValue(Json), parse.GetValue(Specs), parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(bool json, string? specs, TextWriter output)
    {
        var rows = SpecSource.Catalog(specs).Listed.Select(Row.Of).ToList();
        output.WriteLine(json ? ToJson(rows) : ToTable(rows));
        return 0;
    }

    /// <summary>One spec as listed. Layers = primitive layers (conv, linear, activations, pools, norms …).</summary>
    private sealed record Row(string Name, string Family, IReadOnlyList<int> Input, int Classes, long Parameters, int Layers, int WeightLayers)
    {
        public static Row Of(IModelSpec spec)
        {
            ArchitectureDescription d = spec.Description;
            var primitive = d.PrimitiveLayers().ToList();
            return new Row(spec.Name, d.Family.ToString(), d.Input.Dims.ToList(), d.Classes, d.Parameters,
                primitive.Count, primitive.Count(l => l.Parameters > 0 && l is Conv2d or Linear or PatchEmbedding or MultiHeadSelfAttention));
        }
    }

    private static string ToTable(IReadOnlyList<Row> rows)
    {
        string[] header = { "name", "family", "input", "classes", "parameters", "layers", "weight layers" };
        var cells = rows.Select(r => new[]
        {
            r.Name, r.Family, string.Join("×", r.Input), r.Classes.ToString(CultureInfo.InvariantCulture),
            r.Parameters.ToString("N0", CultureInfo.InvariantCulture), r.Layers.ToString(CultureInfo.InvariantCulture),
            r.WeightLayers.ToString(CultureInfo.InvariantCulture),
        }).Prepend(header).ToList();
        int[] widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        // Text left-aligned, numbers right-aligned.
        bool[] numeric = { false, false, false, true, true, true, true };
        return string.Join(Environment.NewLine, cells.Select(row =>
            string.Join("  ", row.Select((cell, c) => numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd()));
    }

    private static string ToJson(IReadOnlyList<Row> rows) => JsonSerializer.Serialize(
        rows.Select(r => new
        {
            name = r.Name,
            family = r.Family,
            input = r.Input,
            classes = r.Classes,
            parameters = r.Parameters,
            layers = r.Layers,
            weightLayers = r.WeightLayers,
        }),
        JsonPolicy.Options);
}

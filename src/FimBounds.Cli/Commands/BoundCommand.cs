using System.CommandLine;
using System.Text;
using System.Text.Json;
using FimBounds.Core.Bounds;
using FimBounds.Nn.Specs;
using FimBounds.Reports.Json;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds bound &lt;spec&gt; [--format text|latex|json]`: the symbolic bound on λ_max(F(x)) of a spec. The bound
/// itself is the one the generator derived at compile time; the per-layer factors come from the same rules.
/// </summary>
public static class BoundCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "The spec name (see 'fimbounds list')." };

    private static readonly Option<string> Format = new Option<string>("--format")
    {
        Description = "Output format: text (bound, factors, assumptions), latex (one formula) or json.",
        DefaultValueFactory = _ => "text",
    }.OneOf("text", "latex", "json");

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("bound", "Print the compile-time symbolic bound on the FIM spectral norm of an architecture spec.");
        command.Arguments.Add(Spec);
        command.Options.Add(Format);
        command.Options.Add(Specs);
        command.SetAction(parse => Run(parse.GetValue(Spec)!, parse.GetValue(Format)!, parse.GetValue(Specs), parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string name, string format, string? specs, TextWriter output)
    {
        IModelSpec spec = SpecSource.Spec(specs, name);
        ArchitectureBound bound = BoundDeriver.Derive(spec.Description);
        output.WriteLine(format switch
        {
            "latex" => @"\lambda_{\max}(F(x)) \le " + spec.BoundLatex,
            "json" => ToJson(spec, bound),
            _ => ToText(spec, bound),
        });
        return 0;
    }

    /// <summary>The primitive layers' factors in execution order (compositions are products/sums of these).</summary>
    private static IEnumerable<LayerFactor> LayerFactors(ArchitectureBound bound) =>
        bound.Factors.Where(f => f.Kind is not ("sequence" or "residual" or "denseblock"));

    private static string ToText(IModelSpec spec, ArchitectureBound bound)
    {
        var text = new StringBuilder();
        text.Append(spec.Name).Append(": lambda_max(F(x)) <= ").Append(spec.BoundText).Append('\n');
        text.Append("  L = ").Append(bound.Lipschitz.ToText()).Append('\n');
        text.Append("factors:\n");
        var factors = LayerFactors(bound).ToList();
        int width = factors.Max(f => f.LayerPath.Length + f.Kind.Length + 3);
        foreach (LayerFactor factor in factors)
        {
            text.Append("  ").Append($"{factor.LayerPath} [{factor.Kind}]".PadRight(width)).Append("  ").Append(factor.Factor.ToText()).Append('\n');
        }
        if (bound.Assumptions.Count > 0)
        {
            text.Append("assumptions:\n");
            foreach (Assumption assumption in bound.Assumptions)
            {
                text.Append("  ").Append(assumption.Symbol).Append(": ").Append(assumption.Description).Append('\n');
            }
        }
        return text.ToString().TrimEnd('\n');
    }

    private static string ToJson(IModelSpec spec, ArchitectureBound bound) => JsonSerializer.Serialize(
        new
        {
            spec = spec.Name,
            text = spec.BoundText,
            latex = spec.BoundLatex,
            lipschitz = bound.Lipschitz.ToText(),
            factors = LayerFactors(bound).Select(f => new
            {
                layer = f.LayerPath,
                kind = f.Kind,
                symbol = f.Factor.ToText(),
                latex = f.Factor.ToLatex(),
                rule = f.Rule,
            }),
            assumptions = bound.Assumptions.Select(a => new { symbol = a.Symbol, description = a.Description }),
        },
        JsonPolicy.Options);
}

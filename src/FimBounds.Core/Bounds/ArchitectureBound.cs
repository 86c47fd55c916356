using System.Collections.Generic;
using System.Text;
using FimBounds.Core.Algebra;

namespace FimBounds.Core.Bounds;

/// <summary>
/// The closed-form bound of one architecture: λ_max(F(x)) ≤ FimBound = ½·L² with L = <see cref="Lipschitz"/>,
/// the per-node factors it is built from (provenance for reports) and the assumptions it states.
/// </summary>
public sealed record ArchitectureBound(
    string Architecture,
    Expr Lipschitz,
    Expr FimBound,
    IReadOnlyList<LayerFactor> Factors,
    IReadOnlyList<Assumption> Assumptions)
{
    /// <summary>One line: <c>lambda_max(F(x)) &lt;= …</c> in the parseable text form.</summary>
    public string ToText() => "lambda_max(F(x)) <= " + FimBound.ToText();

    /// <summary>One LaTeX formula: <c>\lambda_{\max}(F(x)) \le …</c>.</summary>
    public string ToLatex() => @"\lambda_{\max}(F(x)) \le " + FimBound.ToLatex();

    /// <summary>Every symbol of the bound, in the algebra's order.</summary>
    public IEnumerable<SymbolExpr> Symbols() => FimBound.Symbols();

    /// <summary>A readable multi-line account: the bound, each node's factor, the assumptions.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(Architecture).Append(": ").Append(ToText()).Append('\n');
        sb.Append("  L = ").Append(Lipschitz.ToText()).Append('\n');
        foreach (LayerFactor f in Factors)
        {
            sb.Append("  ").Append(new string(' ', 2 * f.Depth)).Append(f.LayerPath.Length == 0 ? "(network)" : f.LayerPath)
              .Append(" [").Append(f.Kind).Append("]: ").Append(f.Factor.ToText());
            if (f.Rule.Length > 0)
            {
                sb.Append("  (").Append(f.Rule).Append(')');
            }
            sb.Append('\n');
        }
        foreach (Assumption a in Assumptions)
        {
            sb.Append("  assumption ").Append(a.Symbol).Append(": ").Append(a.Description).Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>
/// The Lipschitz factor of one node of the architecture (a primitive layer or a composition), with its
/// provenance. <see cref="Depth"/> is the nesting depth (0 = the whole network); <see cref="Rule"/> says
/// which rule produced it.
/// </summary>
public sealed record LayerFactor(string LayerPath, string Kind, Expr Factor, int Depth = 0, string Rule = "");

/// <summary>A stated assumption: a symbol of the bound that is not a property of the weights alone.</summary>
public sealed record Assumption(string Symbol, string Description);

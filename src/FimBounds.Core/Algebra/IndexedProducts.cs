using System.Collections.Generic;
using System.Globalization;

namespace FimBounds.Core.Algebra;

/// <summary>
/// Finds runs of identically shaped factors in a product for the LaTeX printer. A factor's shape is
/// the factor with each conventional symbol replaced by a placeholder for its quantity and its
/// occurrence within the factor: σ_{features.0}² and σ_{features.3}² share the shape σ_{l}², and
/// (1 + σ_a β_b σ_c β_d)² of two ResNet blocks share (1 + β_{l,1} β_{l,2} σ_{l,1} σ_{l,2})².
/// </summary>
internal static class IndexedProducts
{
    internal sealed class Part
    {
        public Expr? Single { get; set; }

        public List<Expr>? Shapes { get; set; }

        public int Count { get; set; }

        public List<(string Name, string Latex)>? Placeholders { get; set; }

        public HashSet<string>? Tags { get; set; }
    }

    private sealed class Group
    {
        public Group(int first, Expr shape, List<(string, string)> placeholders, HashSet<string> tags)
        {
            First = first;
            Shape = shape;
            Placeholders = placeholders;
            Tags = tags;
        }

        public int First { get; }

        public Expr Shape { get; }

        public List<(string, string)> Placeholders { get; }

        public HashSet<string> Tags { get; }

        public List<int> Members { get; } = new();
    }

    public static List<Part> Find(List<Expr> factors, LatexOptions options)
    {
        var groups = new Dictionary<Expr, Group>();
        var groupOf = new Group?[factors.Count];
        for (int i = 0; i < factors.Count; i++)
        {
            if (!TryShape(factors[i], options.Index, out Expr shape, out var placeholders, out var tags))
            {
                continue;
            }
            if (!groups.TryGetValue(shape, out Group? group))
            {
                group = new Group(i, shape, placeholders, tags);
                groups[shape] = group;
            }
            group.Members.Add(i);
            groupOf[i] = group;
        }

        var parts = new List<Part>();
        for (int i = 0; i < factors.Count; i++)
        {
            Group? group = groupOf[i];
            if (group is null || group.Members.Count < options.MinimumRun)
            {
                parts.Add(new Part { Single = factors[i] });
                continue;
            }
            if (group.First != i)
            {
                continue;
            }
            // Merge with an earlier indexed part of the same length over other quantities: ∏ σ_l² β_l².
            Part? host = null;
            foreach (Part p in parts)
            {
                if (p.Shapes is not null && p.Count == group.Members.Count && !p.Tags!.Overlaps(group.Tags))
                {
                    host = p;
                    break;
                }
            }
            if (host is null)
            {
                host = new Part { Shapes = new List<Expr>(), Count = group.Members.Count, Placeholders = new List<(string, string)>(), Tags = new HashSet<string>() };
                parts.Add(host);
            }
            host.Shapes!.Add(group.Shape);
            host.Placeholders!.AddRange(group.Placeholders);
            host.Tags!.UnionWith(group.Tags);
        }
        return parts;
    }

    private static bool TryShape(Expr factor, string index, out Expr shape, out List<(string, string)> placeholders, out HashSet<string> tags)
    {
        shape = factor;
        placeholders = new List<(string, string)>();
        tags = new HashSet<string>();
        var perTag = new Dictionary<string, int>();
        var symbols = new List<(SymbolExpr Symbol, string Tag, int Occurrence)>();
        foreach (SymbolExpr s in factor.Symbols())
        {
            if (!SymbolNames.TrySplit(s.Name, out string tag, out _, out _))
            {
                return false;
            }
            perTag.TryGetValue(tag, out int k);
            perTag[tag] = k + 1;
            symbols.Add((s, tag, k + 1));
        }
        if (symbols.Count == 0)
        {
            return false;
        }
        var map = new Dictionary<string, Expr>();
        foreach (var (symbol, tag, occurrence) in symbols)
        {
            string name = "__ix_" + tag + "_" + occurrence.ToString(CultureInfo.InvariantCulture);
            map[symbol.Name] = Expr.Sym(name);
            string sub = perTag[tag] == 1 ? index : index + "," + occurrence.ToString(CultureInfo.InvariantCulture);
            placeholders.Add((name, LatexSymbols.WithSubscript(LatexSymbols.TagHead(tag), sub)));
            tags.Add(tag);
        }
        shape = factor.Substitute(map);
        return true;
    }
}

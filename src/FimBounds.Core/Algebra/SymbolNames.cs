using System.Collections.Generic;
using System.Globalization;
using FimBounds.Core.Bounds;

namespace FimBounds.Core.Algebra;

/// <summary>
/// The naming convention of bound symbols: <c>tag_layerPath</c>, with <c>[h]</c> appended for a
/// per-head quantity — e.g. <c>sigma_features.0</c>, <c>beta_layer1.0.bn1</c>,
/// <c>sigmaV_encoder.layers.encoder_layer_0.self_attention[2]</c>. The tag names the
/// <see cref="Quantity"/>, so a symbol's meaning survives printing and parsing.
/// </summary>
public static class SymbolNames
{
    private static readonly (Quantity Quantity, string Tag)[] Tags =
    {
        (Quantity.OperatorNorm, "sigma"),
        (Quantity.BatchNormScale, "beta"),
        (Quantity.LayerNormGain, "gamma"),
        (Quantity.LayerNormShiftNorm, "shift"),
        (Quantity.TokenVarianceFloor, "vmin"),
        (Quantity.AttentionValueNorm, "sigmaV"),
        (Quantity.AttentionQueryKeyNorm, "sigmaQK"),
        (Quantity.AttentionOutputNorm, "sigmaO"),
        (Quantity.InputRadius, "R"),
        (Quantity.AttentionQueryBiasKeyNorm, "kappa"),
        (Quantity.AttentionMatrixRatio, "rhoP"),
        (Quantity.TokenMatrixRatio, "rhoX"),
        (Quantity.AttentionValueSpreadRatio, "rhoV"),
        (Quantity.ConcatenationRatio, "rhoC"),
    };

    private static readonly Dictionary<string, Quantity> ByTag = BuildByTag();

    private static Dictionary<string, Quantity> BuildByTag()
    {
        var map = new Dictionary<string, Quantity>();
        foreach (var (quantity, tag) in Tags)
        {
            map[tag] = quantity;
        }
        return map;
    }

    /// <summary>The tag of a quantity ("sigma", "beta", …).</summary>
    public static string Tag(Quantity quantity)
    {
        foreach (var (q, tag) in Tags)
        {
            if (q == quantity)
            {
                return tag;
            }
        }
        return quantity.ToString();
    }

    /// <summary>The symbol name of a meaning: tag_path, plus [head] for per-head quantities.</summary>
    public static string NameOf(SymbolMeaning meaning) =>
        Tag(meaning.Quantity) + "_" + meaning.LayerPath +
        (meaning.Head is int h ? "[" + h.ToString(CultureInfo.InvariantCulture) + "]" : "");

    /// <summary>The symbol for a quantity of a layer, named by the convention and carrying its meaning.</summary>
    public static SymbolExpr Symbol(Quantity quantity, string layerPath, int? head = null)
    {
        var meaning = new SymbolMeaning(quantity, layerPath, head);
        return Expr.Sym(NameOf(meaning), meaning);
    }

    /// <summary>The meaning a conventional name encodes; null for other names ("s", "depth").</summary>
    public static SymbolMeaning? TryParseMeaning(string name)
    {
        int underscore = name.IndexOf('_');
        if (underscore <= 0 || underscore == name.Length - 1 || !ByTag.TryGetValue(name.Substring(0, underscore), out Quantity quantity))
        {
            return null;
        }
        string path = name.Substring(underscore + 1);
        int? head = null;
        if (path.EndsWith("]", System.StringComparison.Ordinal))
        {
            int open = path.LastIndexOf('[');
            if (open <= 0 || !int.TryParse(path.Substring(open + 1, path.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int h))
            {
                return null;
            }
            head = h;
            path = path.Substring(0, open);
        }
        return new SymbolMeaning(quantity, path, head);
    }

    /// <summary>Splits a name into its tag and the rest ("sigma_features.0" → ("sigma", "features.0")).</summary>
    internal static bool TrySplit(string name, out string tag, out string rest, out int? head)
    {
        tag = "";
        rest = "";
        head = null;
        SymbolMeaning? meaning = TryParseMeaning(name);
        if (meaning is null)
        {
            return false;
        }
        tag = Tag(meaning.Quantity);
        rest = meaning.LayerPath;
        head = meaning.Head;
        return true;
    }

    /// <summary>Letters, digits, '_', '.' and '∘', starting with a letter or '_', optionally ending in [digits].</summary>
    public static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsNameStart(name[0]))
        {
            return false;
        }
        int end = name.Length;
        if (name[end - 1] == ']')
        {
            int open = name.LastIndexOf('[');
            if (open <= 0 || open == end - 2)
            {
                return false;
            }
            for (int i = open + 1; i < end - 1; i++)
            {
                if (name[i] < '0' || name[i] > '9')
                {
                    return false;
                }
            }
            end = open;
        }
        for (int i = 0; i < end; i++)
        {
            if (!IsNameChar(name[i]))
            {
                return false;
            }
        }
        return true;
    }

    internal static bool IsNameStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c > 127 && char.IsLetter(c));

    /// <summary>'∘' joins the layers of a folded linear map (<see cref="Bounds.LinearFold.Composite"/>).</summary>
    internal static bool IsNameChar(char c) => IsNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '∘';
}

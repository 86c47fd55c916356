using System.Collections.Generic;
using System.Text;

namespace FimBounds.Core.Algebra;

/// <summary>LaTeX for symbol names: conventional bound symbols get their mathematical look, others a sensible one.</summary>
internal static class LatexSymbols
{
    private static readonly HashSet<string> Greek = new()
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
        "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
    };

    /// <summary>The LaTeX head of a quantity tag: \sigma, \sigma^{V}, v^{\min} …</summary>
    public static string TagHead(string tag) => tag switch
    {
        "sigma" => @"\sigma",
        "beta" => @"\beta",
        "gamma" => @"\gamma",
        "shift" => @"\lVert b \rVert",
        "vmin" => @"v^{\min}",
        "sigmaV" => @"\sigma^{V}",
        "sigmaQK" => @"\sigma^{QK}",
        "sigmaO" => @"\sigma^{O}",
        "kappa" => @"\kappa",
        "R" => "R",
        "rhoP" => @"\rho^{P}",
        "rhoX" => @"\rho^{X}",
        "rhoV" => @"\rho^{V}",
        "rhoC" => @"\rho^{C}",
        _ => Word(tag),
    };

    public static string Symbol(string name)
    {
        if (SymbolNames.TrySplit(name, out string tag, out string path, out int? head))
        {
            string sub = Text(path) + (head is int h ? "," + h.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
            return WithSubscript(TagHead(tag), sub);
        }
        int underscore = name.IndexOf('_');
        if (underscore > 0 && underscore < name.Length - 1)
        {
            string rest = name.Substring(underscore + 1);
            return WithSubscript(Word(name.Substring(0, underscore)), IsPlain(rest) ? rest : Text(rest));
        }
        return Word(name);
    }

    /// <summary>head_{sub}; a head that already carries a superscript keeps it (\sigma^{V}_{x}).</summary>
    public static string WithSubscript(string head, string sub) => head + "_{" + sub + "}";

    private static string Word(string word)
    {
        if (Greek.Contains(word))
        {
            return "\\" + word;
        }
        if (word.Length == 1)
        {
            return word;
        }
        return @"\mathrm{" + Escape(word) + "}";
    }

    private static bool IsPlain(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsLetterOrDigit(c) && c != ',')
            {
                return false;
            }
        }
        return s.Length <= 3;
    }

    private static string Text(string s) => @"\mathrm{" + Escape(s) + "}";

    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            switch (c)
            {
                case '_':
                case '#':
                case '%':
                case '&':
                case '$':
                case '{':
                case '}':
                    sb.Append('\\').Append(c);
                    break;
                case '[':
                case ']':
                    sb.Append('{').Append(c).Append('}');
                    break;
                case '∘':
                    sb.Append(@"{\circ}");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}

using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace FimBounds.Reports.Html;

/// <summary>
/// KaTeX (npm package <c>katex</c> 0.16.22, MIT licence in <c>Html/Katex/LICENSE</c>), embedded in this
/// assembly and written into report.html so that bounds are typeset offline: the stylesheet with its
/// WOFF2 fonts inlined as data URIs (the WOFF/TTF fallbacks dropped: every browser that runs KaTeX reads
/// WOFF2), the script, and a few lines that typeset every element carrying <c>data-latex</c>. Scripts sit
/// in CDATA sections so that the file stays well-formed XML (neither file contains "]]&gt;").
/// </summary>
internal static class KatexBundle
{
    private const string Prefix = "Katex/";

    private static readonly Lazy<string> Head = new(BuildHead);

    /// <summary>The &lt;style&gt; and &lt;script&gt; elements for the document head.</summary>
    public static string HeadElements => Head.Value;

    /// <summary>Typesets every [data-latex] element in place (display style; a LaTeX error shows the source in red instead of throwing).</summary>
    public const string RenderScript =
        "<script>//<![CDATA[\n" +
        "document.querySelectorAll(\"[data-latex]\").forEach(function (e) {\n" +
        "  katex.render(e.getAttribute(\"data-latex\"), e, { displayMode: true, throwOnError: false });\n" +
        "});\n" +
        "//]]></script>\n";

    private static string BuildHead()
    {
        string css = Regex.Replace(Text("katex.min.css"), @",url\(fonts/[^)]+\.(?:woff|ttf)\) format\(""[^""]+""\)", "");
        css = Regex.Replace(css, @"url\(fonts/([^)]+\.woff2)\)", m => "url(data:font/woff2;base64," + Convert.ToBase64String(Bytes("fonts/" + m.Groups[1].Value)) + ")");
        return new StringBuilder()
            .Append("<style>\n").Append(css).Append("\n</style>\n")
            .Append("<script>//<![CDATA[\n").Append(Text("katex.min.js")).Append("\n//]]></script>\n")
            .ToString();
    }

    private static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    private static byte[] Bytes(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"the KaTeX resource '{name}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

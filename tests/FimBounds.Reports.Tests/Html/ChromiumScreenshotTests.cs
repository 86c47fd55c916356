using System.Diagnostics;
using FimBounds.Reports.Tests.Fixtures;
using Xunit.Abstractions;

namespace FimBounds.Reports.Tests.Html;

/// <summary>Opens report.html in headless Chromium, offline, and checks that the screenshot shows a page.</summary>
public sealed class ChromiumScreenshotTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public void Report_renders_in_a_headless_browser()
    {
        using var dir = new TempDirectory();
        var written = ReportWriter.Write(SampleReport.Build(), System.IO.Path.Combine(dir.Path, "report"));
        string screenshot = System.IO.Path.Combine(dir.Path, "screenshot.png");

        (string stdout, string stderr, int exit) = Chromium(new[] { $"--screenshot={screenshot}", "--window-size=1200,2000" }, written.Html);
        output.WriteLine(stdout);
        Assert.True(File.Exists(screenshot), $"No screenshot; chromium exit {exit}: {stderr}");

        var pixels = PixelStatistics.Of(File.ReadAllBytes(screenshot));
        output.WriteLine($"screenshot {pixels.Width}×{pixels.Height}, {pixels.NonBackgroundFraction:P1} non-background, {pixels.DistinctColors} colours");
        Assert.Equal(1200, pixels.Width);
        // A blank or error page is one or two colours; the report's text, tables and a plot give many.
        Assert.True(pixels.NonBackgroundFraction > 0.05, $"only {pixels.NonBackgroundFraction:P1} of the screenshot differs from the background");
        Assert.True(pixels.DistinctColors > 50, $"only {pixels.DistinctColors} colours in the screenshot");
    }

    /// <summary>After the page's scripts ran, offline, every bound is typeset by KaTeX, and none failed to parse.</summary>
    [ChromiumFact]
    public void Bounds_are_typeset_by_the_bundled_katex()
    {
        using var dir = new TempDirectory();
        var report = SampleReport.Build();
        var written = ReportWriter.Write(report, System.IO.Path.Combine(dir.Path, "report"));

        (string dom, string stderr, int exit) = Chromium(new[] { "--dump-dom", "--virtual-time-budget=5000" }, written.Html);
        Assert.True(dom.Length > 0, $"no DOM dumped; chromium exit {exit}: {stderr}");
        int specs = report.Models.Select(m => m.Spec).Distinct().Count();
        int typeset = System.Text.RegularExpressions.Regex.Matches(dom, "class=\"katex-display\"").Count;
        output.WriteLine($"{typeset} typeset bounds for {specs} specs");
        Assert.Equal(specs, typeset);
        // KaTeX's own stylesheet and script name its error class; only the rendered body counts.
        string body = System.Text.RegularExpressions.Regex.Replace(dom, "<(script|style)[^>]*>.*?</\\1>", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.DoesNotContain("katex-error", body);
        Assert.Contains("class=\"katex-html\"", body);
        // The looseness figure survives the page's scripts (KaTeX rewrites the DOM around it).
        Assert.Contains("alt=\"Where the looseness comes from\"", body);
    }

    /// <summary>Runs headless Chromium offline on a file with a throwaway profile; returns its output.</summary>
    private static (string Stdout, string Stderr, int Exit) Chromium(IEnumerable<string> arguments, string file)
    {
        using var profile = new TempDirectory();
        var start = new ProcessStartInfo(FimBounds.Reports.Tests.Html.Chromium.Find()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", $"--user-data-dir={profile.Path}",
                 }.Concat(arguments).Append(new Uri(file).AbsoluteUri))
        {
            start.ArgumentList.Add(arg);
        }

        using Process browser = Process.Start(start)!;
        var stderr = browser.StandardError.ReadToEndAsync();
        var stdout = browser.StandardOutput.ReadToEndAsync();
        if (!browser.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            browser.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 90 s.");
        }
        return (stdout.Result, stderr.Result, browser.ExitCode);
    }
}

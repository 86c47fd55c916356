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
        using var profile = new TempDirectory();
        var written = ReportWriter.Write(SampleReport.Build(), System.IO.Path.Combine(dir.Path, "report"));
        string screenshot = System.IO.Path.Combine(dir.Path, "screenshot.png");

        var start = new ProcessStartInfo(Chromium.Find()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", $"--user-data-dir={profile.Path}", $"--screenshot={screenshot}",
                     "--window-size=1200,2000", new Uri(written.Html).AbsoluteUri,
                 })
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
        output.WriteLine(stdout.Result);
        Assert.True(File.Exists(screenshot), $"No screenshot; chromium exit {browser.ExitCode}: {stderr.Result}");

        var pixels = PixelStatistics.Of(File.ReadAllBytes(screenshot));
        output.WriteLine($"screenshot {pixels.Width}×{pixels.Height}, {pixels.NonBackgroundFraction:P1} non-background, {pixels.DistinctColors} colours");
        Assert.Equal(1200, pixels.Width);
        // A blank or error page is one or two colours; the report's text, tables and a plot give many.
        Assert.True(pixels.NonBackgroundFraction > 0.05, $"only {pixels.NonBackgroundFraction:P1} of the screenshot differs from the background");
        Assert.True(pixels.DistinctColors > 50, $"only {pixels.DistinctColors} colours in the screenshot");
    }
}

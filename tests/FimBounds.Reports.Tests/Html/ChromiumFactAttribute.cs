namespace FimBounds.Reports.Tests.Html;

/// <summary>
/// A fact that needs headless Chromium. Where no browser is installed the test is reported as skipped
/// with the reason (CI installs Debian's chromium in .ci/run, so there it runs).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null)
        {
            Skip = "Chromium is not installed (apt-get install chromium); the HTML was checked structurally only.";
        }
    }
}

public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string? Find() => Candidates.FirstOrDefault(File.Exists);
}

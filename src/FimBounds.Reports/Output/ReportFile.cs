namespace FimBounds.Reports.Output;

/// <summary>One file of a report: its path relative to the output directory ("/" separated) and its bytes.</summary>
public sealed record ReportFile(string RelativePath, byte[] Content);

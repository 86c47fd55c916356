using ApprovalTests;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;
using FimBounds.Reports.Json;
using FimBounds.Reports.Markdown;
using FimBounds.Reports.Tests.Fixtures;
using FimBounds.Reports.Text;

namespace FimBounds.Reports.Tests.Snapshots;

/// <summary>
/// Approved snapshots of the sample report (files *.approved.* next to this file). A missing or changed
/// snapshot fails; after a deliberate change, review the *.received.* file and rename it to approved.
/// </summary>
[UseReporter(typeof(QuietReporter))]
public sealed class ReportSnapshotTests
{
    [Fact]
    public void Markdown_report() =>
        Approvals.Verify(new ApprovalTextWriter(MarkdownRenderer.Render(SampleReport.Build()), "md"));

    [Fact]
    public void Json_report() =>
        Approvals.Verify(new ApprovalTextWriter(JsonReportRenderer.Render(SampleReport.Build()), "json"));

    [Fact]
    public void Console_summary() =>
        Approvals.Verify(new ApprovalTextWriter(ConsoleSummary.Render(SampleReport.Build()), "txt"));
}

using System.Runtime.CompilerServices;
using ApprovalTests.Approvers;
using ApprovalTests.Core;
using ApprovalTests.Core.Exceptions;

namespace FimBounds.Core.Tests.Support;

/// <summary>
/// ApprovalTests snapshots kept next to the test source in an Approved/ folder: a missing or different
/// approved file fails (the received file is left beside it). FIMBOUNDS_APPROVE=1 accepts received
/// files; review the diff before committing.
/// </summary>
public static class Snapshot
{
    public static void Verify(string name, string text, [CallerFilePath] string sourceFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Approved");
        Directory.CreateDirectory(folder);
        var writer = new ApprovalTests.ApprovalTextWriter(text.Replace("\r\n", "\n"), "txt");
        var approver = new FileApprover(writer, new FixedNamer(folder, name), true);
        IApprovalFailureReporter reporter = Environment.GetEnvironmentVariable("FIMBOUNDS_APPROVE") == "1"
            ? new Accept()
            : new ApprovalTests.Reporters.QuietReporter();
        try
        {
            Approver.Verify(approver, reporter);
        }
        catch (ApprovalException e)
        {
            Assert.Fail($"Snapshot '{name}' does not match ({e.GetType().Name}): compare Approved/{name}.received.txt with Approved/{name}.approved.txt.");
        }
    }

    private sealed class FixedNamer(string folder, string name) : IApprovalNamer
    {
        public string SourcePath => folder;

        public string Name => name;
    }

    private sealed class Accept : IApprovalFailureReporter
    {
        public void Report(string approved, string received) => File.Copy(received, approved, overwrite: true);
    }
}

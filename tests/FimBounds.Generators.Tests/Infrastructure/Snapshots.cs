using ApprovalTests.Approvers;
using ApprovalTests.Core;
using ApprovalTests.Core.Exceptions;

namespace FimBounds.Generators.Tests.Infrastructure;

/// <summary>
/// Approved-file snapshots (ApprovalTests) in a folder of the test project. A missing or different approved file
/// fails; set FIMBOUNDS_APPROVE=1 to accept the received files as the new approved ones (review the diff!).
/// </summary>
internal static class Snapshots
{
    private static bool Approving => Environment.GetEnvironmentVariable("FIMBOUNDS_APPROVE") == "1";

    /// <summary>Verifies one text against <c>{folder}/{name}.approved.txt</c>; returns a failure message or null.</summary>
    public static string? Check(string folder, string name, string text)
    {
        Directory.CreateDirectory(folder);
        var approver = new FileApprover(new ApprovalTests.ApprovalTextWriter(text.Replace("\r\n", "\n"), "txt"), new Namer(folder, name), true);
        try
        {
            ApprovalTests.Core.Approver.Verify(approver, Approving ? new AcceptingReporter() : new ApprovalTests.Reporters.QuietReporter());
            return null;
        }
        catch (ApprovalException e)
        {
            return $"{name}: {e.GetType().Name} — compare {name}.received.txt with {name}.approved.txt";
        }
    }

    /// <summary>The names of the approved files in a folder.</summary>
    public static IReadOnlySet<string> Approved(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.approved.txt").Select(f => Path.GetFileName(f)[..^".approved.txt".Length]).ToHashSet()
            : new HashSet<string>();

    private sealed class Namer(string folder, string name) : IApprovalNamer
    {
        public string SourcePath => folder;

        public string Name => name;
    }

    private sealed class AcceptingReporter : IApprovalFailureReporter
    {
        public void Report(string approved, string received) => File.Copy(received, approved, overwrite: true);
    }
}

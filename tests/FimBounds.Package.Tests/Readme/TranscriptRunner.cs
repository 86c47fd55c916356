using FimBounds.Tests.Shared;

namespace FimBounds.Package.Tests.Readme;

/// <summary>Runs every <c>$ command</c> of a README section's console blocks in the user's project and compares what it prints with what the README shows.</summary>
internal static class TranscriptRunner
{
    /// <returns>The commands that ran, in order.</returns>
    public static IReadOnlyList<string> RunAll(ReadmeSection section, PackagedUserProject user)
    {
        var ran = new List<string>();
        foreach (TranscriptStep step in section.BlocksOf("console").SelectMany(TranscriptStep.Parse))
        {
            CommandLine.Result result = user.Shell(user.ProjectDirectory, step.Command);
            Assert.True(result.ExitCode == 0, $"'$ {step.Command}' exited with {result.ExitCode}:\n{result.Output}");
            if (step.Mismatch(result.Output) is { } mismatch)
            {
                Assert.Fail($"README '## {section.Heading}': {mismatch}");
            }
            ran.Add(step.Command);
        }
        return ran;
    }
}

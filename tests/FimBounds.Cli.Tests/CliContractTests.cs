using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests;

/// <summary>The command line's exit-code contract: 0 ok, 2 usage, one-line messages, no stack traces.</summary>
public sealed class CliContractTests
{
    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("doctor", output);
    }

    [Fact]
    public void Unknown_command_exits_2_with_one_line()
    {
        var (code, output, error) = Run("nosuchcommand");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("nosuchcommand", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Unknown_option_exits_2()
    {
        var (code, _, error) = Run("doctor", "--nosuchoption");
        Assert.Equal(2, code);
        Assert.Contains("--nosuchoption", error);
    }

    [Fact]
    public void Doctor_reports_a_working_backend()
    {
        var (code, output, _) = Run("doctor");
        Assert.Equal(0, code);
        Assert.Contains("ok", output);
        // Unless a user opted back in through ONEDNN_MAX_CPU_ISA, oneDNN's wrong convolutions are off.
        if (!FimBounds.Torch.NativeBackend.OneDnnKeptByUser)
        {
            Assert.Contains("oneDNN: off", output);
        }
    }
}

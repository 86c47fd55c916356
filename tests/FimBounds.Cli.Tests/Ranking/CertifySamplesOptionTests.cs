using System.CommandLine;
using FimBounds.Cli.Commands;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Tests.Ranking;

/// <summary>`--certify-samples` of rank and demo: each command keeps its own default, a given value wins, 0 is allowed, a negative count is a usage error.</summary>
[Collection(RankingRunsCollection.Name)]
public sealed class CertifySamplesOptionTests
{
    [Theory]
    [InlineData("rank", new string[0], 20)]
    [InlineData("demo", new string[0], DemoCommand.DemoCertifySamples)]
    [InlineData("rank", new[] { "--certify-samples", "3" }, 3)]
    [InlineData("demo", new[] { "--certify-samples", "0" }, 0)]
    [InlineData("demo", new[] { "--certify-samples", "12" }, 12)]
    public void The_count_reaches_the_study_options(string name, string[] args, int expected)
    {
        Command command = name == "rank" ? RankCommand.Create() : DemoCommand.Create();
        ParseResult parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        var baseOptions = new RankOptions { CertifySamples = name == "rank" ? new RankOptions().CertifySamples : DemoCommand.DemoCertifySamples };
        Assert.Equal(expected, RankStudyOptions.Read(parse, baseOptions).CertifySamples);
    }

    [Theory]
    [InlineData("rank")]
    [InlineData("demo")]
    public void A_negative_count_exits_2_naming_the_option(string command)
    {
        var (code, _, error) = SmallRun.Cli(command, "--certify-samples", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--certify-samples must be a non-negative integer", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("rank")]
    [InlineData("demo")]
    public void Help_lists_the_option_with_both_defaults(string command)
    {
        var (code, output, _) = SmallRun.Cli(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("--certify-samples", output);
        Assert.Contains("0 skips certification", output);
    }
}

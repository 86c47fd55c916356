namespace FimBounds.Package.Tests.Readme;

/// <summary>The README comparison itself, without packing anything: it must fail on every kind of drift it is meant to catch.</summary>
public sealed class TranscriptTests
{
    private static TranscriptStep Step(string block) => TranscriptStep.Parse(new FencedBlock("console", block)).Single();

    [Fact]
    public void A_transcript_is_its_commands_each_with_the_lines_below_it()
    {
        IReadOnlyList<TranscriptStep> steps = TranscriptStep.Parse(new FencedBlock("console", "$ a --x\none\n\n$ b\ntwo\nthree"));

        Assert.Equal(["a --x", "b"], steps.Select(s => s.Command));
        Assert.Equal(["two", "three"], steps[1].Expected);
    }

    [Fact]
    public void A_gap_stands_for_any_lines_and_columns_may_move()
    {
        TranscriptStep step = Step("$ c\nhead\n  x      1.5\n…\nlast 3006");

        Assert.Null(step.Mismatch("head\n  x  1.5\n\nskipped\nskipped too\nlast 3006\n"));
        Assert.Null(step.Mismatch("head\nx 1.5\nlast 3006"));
    }

    [Theory]
    [InlineData("head\nx 1.5\nlast 3007", true)]        // 3.3e-4 relative: the last digit of a rounded measurement
    [InlineData("head\nx 1.5\nlast 3010", false)]       // 3.3e-3: another result
    [InlineData("head\nx 1.5E+01\nlast 3006", false)]   // another number
    [InlineData("head\ny 1.5\nlast 3006", false)]       // other text
    [InlineData("head\nlast 3006", false)]              // a shown line missing
    [InlineData("head\nx 1.5\nlast 3006\nmore", false)] // more after the last shown line, with no gap there
    public void Numbers_may_differ_in_their_last_rounded_digit_and_nothing_else_may(string output, bool matches)
    {
        TranscriptStep step = Step("$ c\nhead\nx 1.5\nlast 3006");

        Assert.Equal(matches, step.Mismatch(output) is null);
    }

    [Fact]
    public void A_readme_that_drops_a_rewritten_command_fails_instead_of_going_untested()
    {
        var rewrites = new SetupRewrites("/feed", "/tools", "9.9.9-t");
        Assert.Equal("dotnet pack src/X -o /feed -p:PackageVersion=9.9.9-t", rewrites.Apply("dotnet pack src/X -o ~/fimbounds-feed"));
        Assert.Equal("dotnet tool install --tool-path /tools FimBounds.Tool --add-source /feed --version 9.9.9-t",
            rewrites.Apply("dotnet tool install --global FimBounds.Tool --add-source ~/fimbounds-feed"));

        // No "dotnet add package FimBounds" seen: the set-up is not the one the tests know how to run.
        Assert.Contains("package", Assert.Throws<InvalidOperationException>(rewrites.EnsureAllApplied).Message);
        rewrites.Apply("dotnet add package FimBounds");
        rewrites.EnsureAllApplied();
    }
}

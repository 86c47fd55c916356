using FimBounds.Cli.Infrastructure;
using FimBounds.Core.Errors;
using FimBounds.Torch;
using Xunit;
using static TorchSharp.torch;

namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>An unexpected native failure is reported in one line: what the program was doing and libtorch's first line.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public void A_libtorch_error_names_the_work_and_only_its_first_line()
    {
        using var failures = new FailureContext();
        Exception? caught = null;
        try
        {
            using var work = CurrentWork.Begin("adding mismatched matrices");
            using var scope = NewDisposeScope();
            _ = ones(2, 3).Plus(ones(4, 5));
        }
        catch (Exception e)
        {
            caught = e;
        }
        Assert.NotNull(caught);
        Assert.Contains('\n', caught!.Message.Trim()); // libtorch appends its native frames …
        string line = failures.Describe(caught);
        Assert.DoesNotContain('\n', line);             // … which the one-line report leaves out
        Assert.StartsWith("internal error in adding mismatched matrices: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Could this error message be improved", line, StringComparison.Ordinal);
        Assert.DoesNotContain("frame #", line, StringComparison.Ordinal);
        Assert.Null(CurrentWork.Description);         // the scope ended with the failure
    }

    [Fact]
    public void Work_is_remembered_from_the_innermost_scope_at_the_throw()
    {
        using var failures = new FailureContext();
        Exception? caught = null;
        try
        {
            using var outer = CurrentWork.Begin("training vgg-mini");
            using (CurrentWork.Begin("an inner step that ended"))
            {
            }
            using var inner = CurrentWork.Begin("measuring λ_max (exact)");
            throw new InvalidOperationException("boom\nsecond line");
        }
        catch (Exception e)
        {
            caught = e;
        }
        Assert.Equal("internal error in measuring λ_max (exact): boom", failures.Describe(caught!));
        Assert.Equal("measuring λ_max (exact)", failures.WorkWhenThrown(new AggregateException(caught!))); // wrapped on the way up
    }

    [Fact]
    public void Libtorch_appendix_is_cut_from_the_first_line() =>
        Assert.Equal("Expected false to be true, but got false.",
            FailureContext.FirstLine("Expected false to be true, but got false.  (Could this error message be improved? If so, please report an enhancement request to PyTorch.)\nException raised from toFloat at /pytorch/c10/core/Scalar.h:140\nframe #0: c10::Error::Error"));
}

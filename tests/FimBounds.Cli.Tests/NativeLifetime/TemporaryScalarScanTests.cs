using System.Text.RegularExpressions;
using Xunit;

namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>
/// Issue 12's rule kept by a test: no FimBounds assembly lets a native Scalar's lifetime depend on the
/// garbage collector (see <see cref="TemporaryScalarAudit"/>). The scan reads the IL of every shipped
/// assembly — compiler-generated lambdas, iterators and operators included — and TorchSharp's own IL
/// to learn which of its methods make temporaries.
/// </summary>
public sealed class TemporaryScalarScanTests
{
    private static readonly Lazy<TemporaryScalarAudit> Audit = new(() => new(typeof(TorchSharp.torch).Assembly.Location));

    public static IEnumerable<object[]> ShippedAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, "FimBounds.*.dll")
            .Where(p => !Path.GetFileName(p).Contains(".Tests", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(p) });

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void No_assembly_makes_a_temporary_Scalar(string assembly)
    {
        var defects = Audit.Value.Defects(Path.Combine(AppContext.BaseDirectory, assembly)).Distinct().ToList();
        Assert.True(defects.Count == 0, $"{defects.Count} temporary Scalars:\n" + string.Join("\n", defects));
    }

    [Fact]
    public void The_scan_sees_every_kind_of_defect()
    {
        // The audit must recognise what it is meant to forbid, or the test above proves nothing.
        var audit = Audit.Value;
        string Signature(params string[] parameters) => "(" + string.Join(",", parameters) + "):TorchSharp.torch/Tensor";
        var tensor = "TorchSharp.torch/Tensor";
        Assert.NotNull(audit.TemporaryScalarIn(new MethodKey(tensor, "op_Addition", Signature(tensor, tensor))));
        Assert.NotNull(audit.TemporaryScalarIn(new MethodKey(tensor, "add", Signature(tensor))));
        Assert.NotNull(audit.TemporaryScalarIn(new MethodKey(tensor, "op_Multiply", Signature(tensor, "Double"))));
        Assert.Null(audit.TemporaryScalarIn(new MethodKey(tensor, "add", Signature(tensor, "TorchSharp.Scalar"))));
        Assert.Null(audit.TemporaryScalarIn(new MethodKey(tensor, "mul", Signature(tensor))));
        // The test assembly itself has such defects on purpose (below): the scan must find them.
        var own = audit.Defects(typeof(TemporaryScalarScanTests).Assembly.Location).ToList();
        Assert.Contains(own, d => d.Contains(nameof(Deliberate_defects), StringComparison.Ordinal) && d.Contains("implicitly", StringComparison.Ordinal));
        Assert.Contains(own, d => d.Contains(nameof(Deliberate_defects), StringComparison.Ordinal) && d.Contains("op_Addition", StringComparison.Ordinal));
    }

    // Never run: compiled so that the scan has known defects to find in this assembly.
    private static TorchSharp.torch.Tensor Deliberate_defects(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => (a + b).clamp(0.0, 1.0);

    [Fact]
    public void Every_explicit_Scalar_in_the_sources_is_owned()
    {
        // ToScalar() is the one allowed way to make a Scalar; the result must be disposed by a using
        // declaration or live for the process in a static readonly field.
        string src = Path.Combine(RepositoryRoot(), "src");
        var loose = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(p => File.ReadLines(p).Select((line, i) => (p, i, line)))
            .Where(x => x.line.Contains(".ToScalar()", StringComparison.Ordinal) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Where(x => !Regex.IsMatch(x.line, @"using var \w+ = |static readonly Scalar \w+ = "))
            .Select(x => $"{Path.GetRelativePath(src, x.p)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(loose.Count == 0, "Scalars not owned:\n" + string.Join("\n", loose));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FimBounds.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("FimBounds.sln not found above the test output");
    }
}

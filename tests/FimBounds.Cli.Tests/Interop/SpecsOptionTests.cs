using System.Text.Json;
using static FimBounds.Tests.Shared.CliRunner;

namespace FimBounds.Cli.Tests.Interop;

/// <summary>
/// --specs PATH: a user's own assembly (specs/LeNet, built with the solution) used by list, bound and
/// measure beside the zoo; what is wrong with a bad PATH is one line and exit 1.
/// </summary>
public sealed class SpecsOptionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-specs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string LeNetAssembly() => LeNetSpecs.Assembly();

    [Fact]
    public void List_shows_the_assemblys_specs_with_their_exact_parameter_counts()
    {
        var (code, output, error) = Run("list", "--specs", LeNetAssembly(), "--json");

        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        var specs = json.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("parameters").GetInt64());
        // 6·25+6 + 16·6·25+16 + 400·120+120 + 120·84+84 + 84·10+10, both variants.
        Assert.Equal(new Dictionary<string, long> { ["lenet5"] = 61_706, ["lenet5-tanh"] = 61_706 }, specs);
    }

    [Fact]
    public void Bound_and_measure_work_on_a_user_spec_and_the_bound_holds()
    {
        var bound = Run("bound", "lenet5", "--specs", LeNetAssembly());
        var measure = Run("measure", "lenet5", "--specs", LeNetAssembly(), "--inputs", "random", "--samples", "8", "--json", Path.Combine(_directory, "m.json"));

        Assert.True(bound.Code == 0, bound.Err);
        Assert.StartsWith("lenet5: lambda_max(F(x)) <= 1/2*sigma_0^2*sigma_3^2*sigma_7^2*sigma_9^2*sigma_11^2", bound.Out);
        Assert.True(measure.Code == 0, measure.Err + measure.Out);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "m.json")));
        string text = json.RootElement.ToString();
        Assert.Contains("lenet5", text);
        // measure exits 1 when a measured λ_max exceeds the instantiated bound; exit 0 and no violation here.
        Assert.DoesNotContain("violat", measure.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("bound", "lenet5")]
    [InlineData("measure", "lenet5")]
    [InlineData("train", "lenet5")]
    [InlineData("attack", "lenet5", "--checkpoint", "x.ckpt")]
    [InlineData("import", "lenet5", "--from", "x.pt", "--out", "x.ckpt")]
    [InlineData("export", "--checkpoint", "x.ckpt", "--to", "x.pt")]
    [InlineData("certify", "lenet5", "--checkpoint", "x.ckpt")]
    [InlineData("demo")]
    public void Every_command_that_names_a_spec_takes_specs(params string[] command)
    {
        var (code, _, error) = Run([.. command, "--specs", Path.Combine("no", "such.dll"), "--help"]);

        Assert.True(code == 0, error);
    }

    [Fact]
    public void An_unknown_name_lists_what_the_assembly_holds()
    {
        var (code, _, error) = Run("bound", "lenet6", "--specs", LeNetAssembly());

        Assert.Equal(2, code);
        Assert.Contains("unknown spec 'lenet6'", error);
        Assert.Contains("holds: lenet5, lenet5-tanh", error);
    }

    [Fact]
    public void A_file_that_is_not_dotnet_is_one_line_and_exit_1()
    {
        string fake = Path.Combine(_directory, "specs.dll");
        File.WriteAllText(fake, "#!/bin/sh\necho not an assembly\n");

        var (code, _, error) = Run("list", "--specs", fake);

        Assert.Equal(1, code);
        Assert.Equal($"fimbounds: {fake}: not a .NET assembly. Pass the .dll your spec project builds (bin/<configuration>/net10.0/<project>.dll) or its .csproj.", error.Trim());
    }

    [Fact]
    public void An_assembly_without_specs_says_so()
    {
        var (code, _, error) = Run("list", "--specs", typeof(FactAttribute).Assembly.Location);

        Assert.Equal(1, code);
        Assert.Contains("declares no architecture specs", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}

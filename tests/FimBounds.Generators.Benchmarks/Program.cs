extern alias generator;
using System.Diagnostics;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Times the spec generator on the zoo's sources, the way the compiler runs it: a cold run (fresh driver, nothing
// cached) and incremental runs after editing one spec (the driver keeps its cache). Both are measured in the same
// process, interleaved, so the ratio is meaningful on a noisy machine. The generator's own time comes from the
// driver's timing info (it excludes parsing the sources and building the compilation).
const int Rounds = 15;

string zoo = Path.Combine(FindRoot(), "specs", "FimBounds.Zoo");
var parse = new CSharpParseOptions(LanguageVersion.Latest);
var trees = Directory.GetFiles(zoo, "*.cs").Order(StringComparer.Ordinal)
    .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, path: Path.GetFileName(p)))
    .ToList();
var references = Net100.References.All.Cast<MetadataReference>()
    .Append(MetadataReference.CreateFromFile(typeof(FimBounds.Spec.ArchitectureAttribute).Assembly.Location));
CSharpCompilation compilation = CSharpCompilation.Create("FimBounds.Zoo", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

SyntaxTree vgg = trees.Single(t => t.FilePath == "Vgg.cs");
string original = vgg.ToString();
const string Edited = "[Dropout(0.25)]";
if (!original.Contains(Edited))
{
    throw new InvalidOperationException($"Vgg.cs no longer contains {Edited}; update the benchmark's edit.");
}
CSharpCompilation[] variants =
{
    compilation,
    compilation.ReplaceSyntaxTree(vgg, CSharpSyntaxTree.ParseText(original.Replace(Edited, "[Dropout(0.3)]"), parse, path: "Vgg.cs")),
};

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new[] { new generator::FimBounds.Generators.SpecGenerator().AsSourceGenerator() }, parseOptions: parse);

static double Milliseconds(GeneratorDriver driver) => driver.GetTimingInfo().ElapsedTime.TotalMilliseconds;

// Roslyn's own start-up (loading reference metadata, JIT-compiling the binder) is the compiler's cost, paid before any
// generator runs in a real build: pay it here on an unrelated compilation with the same references.
var roslyn = Stopwatch.StartNew();
CSharpCompilation.Create("Warmup", new[] { CSharpSyntaxTree.ParseText("class C { [System.Obsolete] void M() { } }", parse) }, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).GetDiagnostics();
roslyn.Stop();

// The first generator run still pays for JIT-compiling the generator and the incremental pipeline: a first build.
var wall = Stopwatch.StartNew();
GeneratorDriver first = NewDriver().RunGenerators(compilation);
double firstEver = Milliseconds(first);
wall.Stop();
int files = first.GetRunResult().GeneratedTrees.Length;
var errors = first.GetRunResult().Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
if (errors.Count > 0)
{
    throw new InvalidOperationException("the zoo has generator errors: " + string.Join("; ", errors));
}

var cold = new List<double>();
var incremental = new List<double>();
GeneratorDriver warm = NewDriver().RunGenerators(variants[0]);
for (int round = 0; round < Rounds; round++)
{
    cold.Add(Milliseconds(NewDriver().RunGenerators(variants[round % 2])));
    warm = warm.RunGenerators(variants[(round + 1) % 2]);
    incremental.Add(Milliseconds(warm));
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

Console.WriteLine($"Spec generator on the zoo ({trees.Count} source files, {files} generated files), {Rounds} rounds, interleaved:");
Console.WriteLine($"  Roslyn start-up on another compilation:     {roslyn.Elapsed.TotalMilliseconds,8:F1} ms   (the compiler's cost, not the generator's)");
Console.WriteLine($"  first generator run in the process (JIT):  {firstEver,8:F1} ms   (wall {wall.Elapsed.TotalMilliseconds:F1} ms)");
Console.WriteLine($"  cold run, fresh driver (median):           {Median(cold),8:F1} ms   (min {cold.Min():F1}, max {cold.Max():F1})");
Console.WriteLine($"  incremental, one spec edited (median):     {Median(incremental),8:F1} ms   (min {incremental.Min():F1}, max {incremental.Max():F1})");
Console.WriteLine($"  incremental / cold:                        {Median(incremental) / Median(cold),8:F3}");
Console.WriteLine($"Targets: cold < 300 ms, incremental < 20 ms.");
return 0;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FimBounds.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("FimBounds.sln not found");
}

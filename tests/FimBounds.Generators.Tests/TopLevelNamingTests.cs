using System.Runtime.Loader;
using FimBounds.Core.Architecture;
using FimBounds.Generators.Tests.Infrastructure;
using FimBounds.Nn.Specs;
using static TorchSharp.torch;

namespace FimBounds.Generators.Tests;

/// <summary>
/// Unnamed top-level layers: named after their kind while those names are unique (torchvision's "fc",
/// "avgpool"), numbered like nn.Sequential's children as soon as two would collide.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TopLevelNamingTests
{
    private const string Usings = "using FimBounds.Spec;\nnamespace Specs;\n";

    /// <summary>specs/LeNet: a plain LeNet-5 (and its Tanh variant), the README's own-architecture example.</summary>
    private static string LeNet5 => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "specs", "LeNet", "LeNet5.cs"));

    [Fact]
    public void A_plain_LeNet5_compiles_with_the_keys_of_the_same_nn_Sequential()
    {
        IModelSpec spec = Compile(LeNet5).Single(s => s.Name == "lenet5");

        Assert.Equal(Enumerable.Range(0, 12).Select(i => i.ToString()), spec.Description.Network.Layers.Select(l => l.Path));
        // 6·25+6 + 16·6·25+16 + 400·120+120 + 120·84+84 + 84·10+10: the classic LeNet-5 count.
        Assert.Equal(61_706, spec.Description.Parameters);
        manual_seed(0);
        using var model = spec.CreateModel();
        Assert.Equal(
            ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"],
            model.state_dict().Keys);
    }

    [Fact]
    public void Names_the_user_wrote_are_kept_while_the_others_are_numbered()
    {
        IModelSpec spec = CompileSingle(Usings + """
            [Architecture("named", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3, Name = "stem")] [ReLU] [Conv2d(4, 3)] [ReLU] [Flatten] [Classifier(Name = "head")]
            public partial class Named;
            """);

        Assert.Equal(["stem", "1", "2", "3", "4", "head"], spec.Description.Network.Layers.Select(l => l.Path));
    }

    [Fact]
    public void Unique_default_names_stay_as_they_are()
    {
        IModelSpec spec = CompileSingle(Usings + """
            [Architecture("tiny", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3)] [ReLU] [Flatten] [Classifier]
            public partial class Tiny;
            """);

        Assert.Equal(["conv", "relu", "flatten", "fc"], spec.Description.Network.Layers.Select(l => l.Path));
    }

    [Fact]
    public void A_default_name_that_the_user_also_wrote_numbers_the_unnamed_layers()
    {
        IModelSpec spec = CompileSingle(Usings + """
            [Architecture("clash", Input = new[] { 1, 8, 8 }, Classes = 3)]
            [Conv2d(4, 3, Name = "relu")] [ReLU] [Flatten] [Classifier]
            public partial class Clash;
            """);

        Assert.Equal(["relu", "1", "2", "3"], spec.Description.Network.Layers.Select(l => l.Path));
    }

    private static IModelSpec CompileSingle(string source) => Assert.Single(Compile(source));

    /// <summary>Runs the generator, compiles the result and loads the specs it declares.</summary>
    private static IReadOnlyList<IModelSpec> Compile(string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        Assert.Empty(outcome.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(outcome.CompilationErrors.Select(d => d.ToString()));
        using var image = new MemoryStream();
        Assert.True(outcome.Output.Emit(image).Success);
        image.Position = 0;
        var assembly = new AssemblyLoadContext(null).LoadFromStream(image);
        return assembly.GetTypes().Where(t => typeof(IModelSpec).IsAssignableFrom(t)).Select(t => (IModelSpec)Activator.CreateInstance(t)!).ToList();
    }
}

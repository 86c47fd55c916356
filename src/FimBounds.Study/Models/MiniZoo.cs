namespace FimBounds.Study.Models;

/// <summary>The mini zoo: every family once, sized for Fashion-MNIST on a laptop (what `demo` and `bench` run).</summary>
public static class MiniZoo
{
    public static IReadOnlyList<string> Specs { get; } = ["vgg-mini", "resnet-mini", "densenet-mini", "vit-mini"];
}

using FimBounds.Nn.Checkpoints;
using FimBounds.Training.Tests.Fixtures;

namespace FimBounds.Training.Tests.Checkpoints;

public sealed class StructureHashTests
{
    [Fact]
    public void Equal_descriptions_hash_equal_and_any_change_changes_the_hash()
    {
        string a = StructureHash.Of(new TinyCnnSpec("tiny", 8, 16).Description);

        Assert.Equal(a, StructureHash.Of(new TinyCnnSpec("tiny", 8, 16).Description));
        Assert.NotEqual(a, StructureHash.Of(new TinyCnnSpec("tiny", 8, 12).Description));
        Assert.NotEqual(a, StructureHash.Of(new TinyCnnSpec("tiny2", 8, 16).Description));
        Assert.Matches("^sha256:[0-9a-f]{64}$", a);
    }

    [Fact]
    public void Canonical_text_holds_the_defining_members_only()
    {
        string text = StructureHash.CanonicalText(new TinyCnnSpec().Description);

        Assert.Contains("Conv2d(Path=\"conv1\", Input=(1x28x28), Output=(8x28x28), InChannels=1, OutChannels=8, KernelSize=3, Stride=1, Padding=1, Groups=1, Bias=true)", text);
        Assert.Contains("Normalize(Path=\"normalize\", Input=(1x28x28), Output=(1x28x28), Mean=[0.286], Std=[0.353])", text);
        Assert.DoesNotContain("Children", text);
        Assert.DoesNotContain("Parameters", text);
    }
}

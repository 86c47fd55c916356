using FimBounds.Data;
using FimBounds.Training.Tests.Fixtures;

namespace FimBounds.Training.Tests.Data;

public sealed class SubsetAndRandomTests
{
    [Fact]
    public void SplitMix64_matches_its_published_reference_sequence()
    {
        // Reference outputs of SplitMix64 seeded with 0 (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
        var random = new DeterministicRandom(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void NextInt_is_uniform_enough_and_in_range()
    {
        var random = new DeterministicRandom(42);
        int[] counts = new int[6];
        for (int i = 0; i < 60_000; i++)
        {
            counts[random.NextInt(6)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Stratified_subset_is_balanced_distinct_and_reproducible()
    {
        ImageDataset source = EmbeddedData.Test;

        ImageDataset first = StratifiedSubset.Select(source, 7, seed: 5);
        ImageDataset again = StratifiedSubset.Select(source, 7, seed: 5);
        ImageDataset other = StratifiedSubset.Select(source, 7, seed: 6);

        Assert.Equal(70, first.Count);
        Assert.All(first.ClassCounts(), c => Assert.Equal(7, c));
        Assert.True(first.Pixels.SequenceEqual(again.Pixels));
        Assert.False(first.Pixels.SequenceEqual(other.Pixels));
        var distinct = Enumerable.Range(0, first.Count).Select(i => Convert.ToBase64String(first.Image(i))).Distinct().Count();
        Assert.Equal(70, distinct);
    }

    [Fact]
    public void Asking_for_more_than_a_class_has_fails()
    {
        var tiny = new ImageDataset("tiny", new byte[3], [0, 0, 1], 1, 1, 1, ["a", "b"]);

        Assert.Throws<ArgumentException>(() => StratifiedSubset.Select(tiny, 2, seed: 0));
    }

    [Fact]
    public void Content_hash_tracks_pixels_and_labels()
    {
        var a = new ImageDataset("a", [1, 2], [0, 1], 1, 1, 1, ["x", "y"]);
        var sameContent = new ImageDataset("other name", [1, 2], [0, 1], 1, 1, 1, ["x", "y"]);
        var otherLabel = new ImageDataset("a", [1, 2], [1, 1], 1, 1, 1, ["x", "y"]);

        Assert.Equal(a.ContentHash(), sameContent.ContentHash());
        Assert.NotEqual(a.ContentHash(), otherLabel.ContentHash());
    }

    [Fact]
    public void Dataset_loader_defaults_to_the_embedded_subset_and_explains_a_bad_path()
    {
        LoadedData loaded = DatasetLoader.Load(null);

        Assert.Equal(5000, loaded.Train.Count);
        var error = Assert.Throws<Core.Errors.InputException>(() => DatasetLoader.Load("/no/such/directory"));
        Assert.Contains("/no/such/directory", error.Message);
        Assert.Contains("omit --data", error.Message);
    }
}

namespace FimBounds.Data;

/// <summary>
/// Picks the same number of items from every class, uniformly at random with a fixed seed, so a small
/// subset keeps the class balance of the full set. Items of a class are drawn by a seeded shuffle of
/// that class's indices; the chosen items are then put in one seeded random order, so any prefix of
/// the subset (--samples N) is itself a uniform sample.
/// </summary>
public static class StratifiedSubset
{
    public static ImageDataset Select(ImageDataset source, int perClass, long seed, string? name = null)
    {
        if (perClass <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perClass), "must be positive");
        }
        var random = new DeterministicRandom(seed);
        var byClass = Enumerable.Range(0, source.Classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < source.Count; i++)
        {
            byClass[source.Label(i)].Add(i);
        }
        var chosen = new List<int>(perClass * source.Classes);
        for (int c = 0; c < byClass.Length; c++)
        {
            if (byClass[c].Count < perClass)
            {
                throw new ArgumentException(
                    $"{source.Name}: class {c} ({source.ClassNames[c]}) has {byClass[c].Count} items, fewer than the {perClass} requested per class");
            }
            random.Shuffle(byClass[c]);
            chosen.AddRange(byClass[c].Take(perClass));
        }
        random.Shuffle(chosen);
        return source.Subset(chosen, name ?? $"{source.Name} ({perClass}/class)");
    }
}

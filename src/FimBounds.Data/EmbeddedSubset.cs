namespace FimBounds.Data;

/// <summary>
/// The recipe of the Fashion-MNIST subset embedded in this assembly: a stratified sample of the full
/// set, 500 training and 100 test images per class, seed 20171. `fimbounds data make-subset` runs it;
/// the result is committed under src/FimBounds.Data/Embedded/ with Fashion-MNIST's licence beside it.
/// </summary>
public static class EmbeddedSubset
{
    public const int TrainPerClass = 500;
    public const int TestPerClass = 100;
    public const long Seed = 20171;

    /// <summary>Draws the subset from the full set in <paramref name="sourceDirectory"/> and writes it as IDX .gz files.</summary>
    public static (ImageDataset Train, ImageDataset Test) Make(
        string sourceDirectory, string outputDirectory,
        int trainPerClass = TrainPerClass, int testPerClass = TestPerClass, long seed = Seed)
    {
        (ImageDataset fullTrain, ImageDataset fullTest) = FashionMnist.Load(sourceDirectory);
        // Distinct seeds per split: the two draws must not mirror each other.
        ImageDataset train = StratifiedSubset.Select(fullTrain, trainPerClass, seed, "fashion-mnist-subset/train");
        ImageDataset test = StratifiedSubset.Select(fullTest, testPerClass, seed + 1, "fashion-mnist-subset/test");
        Directory.CreateDirectory(outputDirectory);
        FashionMnist.Save(train, outputDirectory, DataSplit.Train);
        FashionMnist.Save(test, outputDirectory, DataSplit.Test);
        return (train, test);
    }
}

using FimBounds.Data;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Data;

public sealed class NormalizationTests
{
    [Fact]
    public void Apply_subtracts_the_mean_and_divides_by_the_std_per_channel()
    {
        using var scope = NewDisposeScope();
        var normalization = new Normalization([0.5, 0.25], [0.5, 2.0]);
        Tensor x = tensor(new double[] { 1.0, 0.0, 0.25, 2.25 }).reshape(1, 2, 1, 2);

        double[] z = normalization.Apply(x).data<double>().ToArray();

        Assert.Equal(new[] { 1.0, -1.0, 0.0, 1.0 }, z);
    }

    [Fact]
    public void Invert_undoes_apply()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        Tensor x = rand(new long[] { 4, 3, 5, 5 }, dtype: ScalarType.Float64);
        var normalization = new Normalization([0.49, 0.48, 0.45], [0.25, 0.24, 0.26]);

        Tensor roundTrip = normalization.Invert(normalization.Apply(x));

        Assert.True(allclose(roundTrip, x, rtol: 0, atol: 1e-14));
    }

    [Fact]
    public void The_module_applies_the_same_transform()
    {
        using var scope = NewDisposeScope();
        Tensor x = rand(new long[] { 2, 1, 4, 4 });
        using var module = FashionMnist.Normalization.ToModule();

        Assert.True(allclose(module.call(x), FashionMnist.Normalization.Apply(x)));
    }

    [Fact]
    public void Read_from_the_description_of_a_spec()
    {
        Normalization? declared = Normalization.FromDescription(new TinyCnnSpec().Description);

        Assert.Equal(FashionMnist.Normalization, declared);
    }

    [Fact]
    public void Non_invertible_or_mismatched_transforms_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Normalization([0.5], [0.0]));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5, 0.5], [1.0]));
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => FashionMnist.Normalization.Apply(zeros(1, 3, 2, 2)));
    }

    [Fact]
    public void Measure_matches_hand_computed_statistics()
    {
        // Two 1×1×2 images: pixels 0, 255 and 255, 255 → values 0, 1, 1, 1: mean 0.75, std √(0.75·0.25).
        var data = new ImageDataset("hand", [0, 255, 255, 255], [0, 1], 1, 1, 2, ["a", "b"]);

        Normalization measured = Normalization.Measure(data);

        Assert.Equal(0.75, measured.Mean[0], 12);
        Assert.Equal(Math.Sqrt(0.1875), measured.Std[0], 12);
    }
}

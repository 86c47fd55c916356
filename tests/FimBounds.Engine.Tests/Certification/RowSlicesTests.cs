using FimBounds.Engine.Certification;
using FimBounds.Engine.Tests.Support;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>Forward linear bounds worked a slice of rows (or features) at a time equal the same work on the whole tensor.</summary>
public sealed class RowSlicesTests
{
    [Fact]
    public void A_map_over_slices_of_rows_equals_the_map_over_all_rows()
    {
        using var scope = NewDisposeScope();
        // 300 rows of 8×32×32 values: more than one slice of the element budget, the last slice shorter.
        Tensor lower = TestTensors.Pixels(1, 1, 300, 8, 32, 32);
        Tensor upper = lower.Plus(TestTensors.Pixels(2, 1, 300, 8, 32, 32));
        Tensor weight = TestTensors.Pixels(3, 5, 8, 3, 3).Minus(0.5);
        Tensor[] Map(Tensor[] rows) =>
        [
            nn.functional.conv2d(rows[0].flatten(0, 1), weight, padding: new long[] { 1, 1 }).unflatten(0, new long[] { 1, rows[0].shape[1] }),
            nn.functional.conv2d(rows[1].Minus(rows[0]).flatten(0, 1), weight.abs(), padding: new long[] { 1, 1 }).unflatten(0, new long[] { 1, rows[0].shape[1] }),
        ];
        Assert.True(lower.numel() > 2 * RowSlices.ElementBudget);

        Tensor[] sliced = RowSlices.Map([lower, upper], Map);
        Tensor[] whole = Map([lower, upper]);

        Assert.Equal(whole[0].shape, sliced[0].shape);
        Assert.Equal(0.0, sliced[0].Minus(whole[0]).abs().max().item<double>(), 12);
        Assert.Equal(0.0, sliced[1].Minus(whole[1]).abs().max().item<double>(), 12);
    }

    [Fact]
    public void Concretizing_in_slices_of_features_gives_the_box_minimum_of_every_feature()
    {
        using var scope = NewDisposeScope();
        // d = 256 input pixels, 12,288 features: three slices of the element budget.
        Tensor centre = TestTensors.Pixels(4, 1, 1, 16, 16);
        var region = new InputRegion(centre, PerturbationNorm.Linf, 0.05);
        Tensor lower = TestTensors.Pixels(5, 1, 256, 12, 32, 32).Minus(0.5);
        Tensor upper = lower.Plus(TestTensors.Pixels(6, 1, 256, 12, 32, 32));
        Tensor lowerConstant = TestTensors.Pixels(7, 1, 12, 32, 32);
        Tensor upperConstant = lowerConstant.Plus(1.0);
        Assert.True(256L * 12 * 32 * 32 > 2 * RowSlices.ElementBudget);

        Interval bounds = LinearBounds.Of(lower, lowerConstant, upper, upperConstant).Concretize(region);

        // Reference: over a box, a linear function is smallest with each pixel at the end its coefficient's sign picks.
        Tensor boxLower = region.Box.Lower.flatten();
        Tensor boxUpper = region.Box.Upper.flatten();
        Tensor a = lower.reshape(256, -1).t();
        Tensor expectedLower = a.PositivePart().matmul(boxLower).Plus(a.NegativePart().matmul(boxUpper)).Plus(lowerConstant.flatten());
        Tensor b = upper.reshape(256, -1).t();
        Tensor expectedUpper = b.PositivePart().matmul(boxUpper).Plus(b.NegativePart().matmul(boxLower)).Plus(upperConstant.flatten());
        Assert.Equal(0.0, bounds.Lower.flatten().Minus(expectedLower).abs().max().item<double>(), 9);
        Assert.Equal(0.0, bounds.Upper.flatten().Minus(expectedUpper).abs().max().item<double>(), 9);
    }
}

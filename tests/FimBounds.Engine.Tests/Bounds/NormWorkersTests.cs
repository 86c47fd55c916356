using FimBounds.Core.Bounds;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Engine.Tests.Support;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// How the bound's operator norms are scheduled changes nothing in them: norms computed on two worker threads equal
/// those computed one after another bit for bit, and leaving out the attained norms leaves every certified value as it was.
/// </summary>
public sealed class NormWorkersTests
{
    private static (IModelSpec Spec, nn.Module<Tensor, Tensor> Model, Tensor Inputs) TrainedLikeResNet()
    {
        IModelSpec spec = ZooCatalog.Find("resnet-mini");   // explicit small convolutions, torus-certified ones and a linear layer
        TestTensors.Seed(95);
        nn.Module<Tensor, Tensor> model = spec.CreateModel();
        model.to(float64);
        TrainedLike.Randomise(model, 96, 1.3);
        model.eval();
        return (spec, model, TestTensors.Pixels(97, 4, 1, 28, 28));
    }

    [Fact]
    public void Norms_computed_side_by_side_equal_those_computed_one_after_another()
    {
        (IModelSpec spec, nn.Module<Tensor, Tensor> model, Tensor inputs) = TrainedLikeResNet();

        InstantiatedBound sequential = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { NormWorkers = 1 });
        InstantiatedBound parallel = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { NormWorkers = 2 });

        Assert.Equal(sequential.Quantities.Select(q => (q.Symbol, q.Value, q.Attained)), parallel.Quantities.Select(q => (q.Symbol, q.Value, q.Attained)));
        Assert.Equal(sequential.Global, parallel.Global);
        Assert.Equal(1, get_num_threads());
    }

    [Fact]
    public void Without_attained_norms_every_certified_value_is_unchanged_and_the_bound_still_holds()
    {
        (IModelSpec spec, nn.Module<Tensor, Tensor> model, Tensor inputs) = TrainedLikeResNet();

        InstantiatedBound full = BoundInstantiator.Instantiate(spec, model, inputs);
        InstantiatedBound upperOnly = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { AttainedNorms = false, NormWorkers = 2 });
        BoundCheck check = upperOnly.Check(FimMeasurer.Measure(model, inputs, FimMethod.Exact));

        Assert.Equal(full.Quantities.Select(q => (q.Symbol, q.Value)), upperOnly.Quantities.Select(q => (q.Symbol, q.Value)));
        Assert.Contains(upperOnly.Quantities, q => q.Quantity == nameof(Quantity.OperatorNorm) && q.Attained == 0);   // a torus-certified convolution
        Assert.All(upperOnly.Quantities, q => Assert.True(q.Attained <= q.Value));
        Assert.True(check.Holds);
    }
}

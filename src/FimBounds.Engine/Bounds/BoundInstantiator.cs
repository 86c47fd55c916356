using System.Diagnostics;
using FimBounds.Core.Architecture;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>Options of bound instantiation.</summary>
public sealed record InstantiationOptions
{
    public static InstantiationOptions Default { get; } = new();

    /// <summary>Lanczos steps for each convolution's attained (lower) norm, reported beside the certified upper one.</summary>
    public int LanczosSteps { get; init; } = 60;

    public long Seed { get; init; }
}

/// <summary>Evaluates the architecture's bound with a model's real weights (and calibration data for stated assumptions).</summary>
public static class BoundInstantiator
{
    public static InstantiatedBound Instantiate(IModelSpec spec, nn.Module<Tensor, Tensor> model, Tensor? calibrationInputs,
        InstantiationOptions? options = null) =>
        Instantiate(spec.Description, model, calibrationInputs, options);

    /// <param name="calibrationInputs">Inputs on which LayerNorm variance floors and attention radii are measured
    /// (pass the inputs you measure λ_max on); null uses weight-derived or worst-case values.</param>
    public static InstantiatedBound Instantiate(ArchitectureDescription description, nn.Module<Tensor, Tensor> model, Tensor? calibrationInputs,
        InstantiationOptions? options = null)
    {
        options ??= InstantiationOptions.Default;
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var weights = new ModelWeights(model);
        var quantities = new WeightQuantities(description, weights, options.LanczosSteps, options.Seed);
        CalibrationStatistics calibration = calibrationInputs is null
            ? CalibrationStatistics.None
            : CalibrationStatistics.Measure(model, description, calibrationInputs);
        var assumptions = new AssumptionValues(description, quantities, calibration);
        (double lipschitz, IReadOnlyList<LayerFactor> factors) = LipschitzComposition.Compose(description, quantities, assumptions);
        return new InstantiatedBound(description.Name, lipschitz, factors, assumptions.Used, calibration.Inputs, clock.Elapsed.TotalSeconds);
    }
}

using System.Diagnostics;
using FimBounds.Data;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using FimBounds.Study.Models;
using FimBounds.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Study.Measurement;

/// <summary>What one measurement gives: the JSON-ready report and the facts that decide the exit code.</summary>
/// <param name="FiniteInputs">How many inputs gave a finite value (0 = the model is broken at every input).</param>
/// <param name="FirstProblem">Why the first input failed, when one did.</param>
public sealed record MeasureOutcome(MeasureReport Report, int FiniteInputs, string? FirstProblem, BoundCheck Check);

/// <summary>
/// `measure`'s workflow: a model of the spec (checkpoint or seeded initialisation), inputs (test images or
/// uniform pixels), λ_max(F(x)) by the chosen method, the spec's bound instantiated with the weights and
/// checked against every measured value.
/// </summary>
public static class MeasureRun
{
    public static MeasureOutcome Execute(MeasureSettings settings, IProgress<FimProgress>? progress, CancellationToken cancellation)
    {
        FimMethod method = FimMethods.Parse(settings.Method);
        IModelSpec spec = new SpecCatalog(ZooCatalog.All, settings.Specs).Find(settings.Spec);
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();

        nn.Module<Tensor, Tensor> model = ModelSource.Load(spec, settings.Checkpoint, settings.Seed);
        // The CLI's parser accepts only these names (the command's option rules); anything else is a caller's bug.
        ScalarType precision = settings.Precision switch
        {
            "double" => ScalarType.Float64,
            "single" => ScalarType.Float32,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Precision, "precision must be double or single"),
        };
        model.to(precision);
        (Tensor pixels, string inputDescription) = settings.Inputs switch
        {
            "random" => (ModelSource.RandomInputs(spec, settings.Samples, settings.Seed), $"uniform [0,1] pixels, seed {settings.Seed}"),
            "data" => ModelSource.DatasetInputs(spec, settings.Data, settings.Samples, settings.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Inputs, "inputs must be data or random"),
        };
        Tensor inputs = pixels.to(precision);

        var options = new FimOptions { Seed = settings.Seed, MaxMemoryMegabytes = settings.MaxMemory, Precision = precision };
        FimMeasurement measurement = FimMeasurer.Measure(model, inputs, method, options, progress, cancellation);
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { Seed = settings.Seed });
        BoundCheck check = bound.Check(measurement);

        MeasureReport report = MeasureReport.Create(spec.Name, settings, inputDescription, measurement, bound, check, clock.Elapsed.TotalSeconds);
        return new MeasureOutcome(report, measurement.Summary.Count, measurement.Samples.FirstOrDefault(s => !s.IsFinite)?.Problem, check);
    }
}

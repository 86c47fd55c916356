using FimBounds.Torch;
using System.CommandLine;
using System.Diagnostics;
using FimBounds.Cli.Commands.Measure;
using FimBounds.Cli.Infrastructure;
using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Nn.Specs;
using FimBounds.Zoo;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds measure &lt;spec&gt;`: measures λ_max(F(x)) of a model of the spec at every input, instantiates the
/// spec's bound with the model's weights and checks bound ≥ measured (exit 1 if it is violated).
/// </summary>
public static class MeasureCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "The spec name (see 'fimbounds list')." };

    private static readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        Description = "Weights to load into the spec's model; without it the model is randomly initialised from --seed.",
    };

    private static readonly Option<int> Samples = new("--samples")
    {
        Description = "How many inputs to measure.",
        DefaultValueFactory = _ => 100,
    };

    private static readonly Option<string> Method = new("--method")
    {
        Description = "exact (default) | lanczos | power | hutchinson | blackbox (forward passes only) | srp, srp-blackbox (the reference " +
            "code's estimators, biased low).",
        DefaultValueFactory = _ => "exact",
    };

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the initialisation, the inputs and every estimator.", DefaultValueFactory = _ => 0 };

    private static readonly Option<string> Inputs = new("--inputs")
    {
        Description = "data (default): test images of --data; random: uniform [0,1] pixels of the spec's input shape.",
        DefaultValueFactory = _ => "data",
    };

    private static readonly Option<string?> Data = DataOptions.CreateDataOption();

    private static readonly Option<string?> Json = new("--json") { Description = "Also write the full result as JSON to this file." };

    private static readonly Option<long?> MaxMemory = new("--max-memory")
    {
        Description = "Cap in MB on the memory one chunk of inputs may use (default: half of the memory available).",
    };

    private static readonly Option<string> Precision = new("--precision")
    {
        Description = "double (default) or single: the working precision of every method (black-box finite-difference steps adapt to it).",
        DefaultValueFactory = _ => "double",
    };

    public static Command Create()
    {
        var command = new Command("measure",
            "Measure the FIM spectral norm λ_max(F(x)) of a model at many inputs and check the spec's bound against it.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { Checkpoint, Samples, Method, Seed, Inputs, Data, Json, MaxMemory, Precision })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(
            new MeasureSettings(parse.GetValue(Spec)!, parse.GetValue(Checkpoint), parse.GetValue(Samples), parse.GetValue(Method)!,
                parse.GetValue(Seed), parse.GetValue(Json), parse.GetValue(MaxMemory), parse.GetValue(Precision)!,
                parse.GetValue(Inputs)!, parse.GetValue(Data)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(MeasureSettings settings, TextWriter output, TextWriter error)
    {
        if (settings.Samples < 1)
        {
            throw new UsageException($"--samples must be at least 1; got {settings.Samples}.");
        }
        if (settings.MaxMemory is < 1)
        {
            throw new UsageException($"--max-memory must be a positive number of MB; got {settings.MaxMemory}.");
        }
        if (settings.Precision is not ("double" or "single"))
        {
            throw new UsageException($"--precision must be 'double' or 'single'; got '{settings.Precision}'.");
        }
        if (settings.Inputs is not ("data" or "random"))
        {
            throw new UsageException($"--inputs must be 'data' or 'random'; got '{settings.Inputs}'.");
        }
        NativeBackend.ApplyWorkarounds();
        FimMethod method = FimMethods.Parse(settings.Method);
        IModelSpec spec = ZooCatalog.Find(settings.Spec);
        var clock = Stopwatch.StartNew();
        using var cancellation = CancelOnCtrlC(output);
        using var scope = NewDisposeScope();

        nn.Module<Tensor, Tensor> model = ModelSource.Load(spec, settings.Checkpoint, settings.Seed);
        ScalarType precision = settings.Precision == "single" ? ScalarType.Float32 : ScalarType.Float64;
        model.to(precision);
        (Tensor pixels, string inputDescription) = settings.Inputs == "random"
            ? (ModelSource.RandomInputs(spec, settings.Samples, settings.Seed), $"uniform [0,1] pixels, seed {settings.Seed}")
            : ModelSource.DatasetInputs(spec, settings.Data, settings.Samples, settings.Seed);
        Tensor inputs = pixels.to(precision);

        var options = new FimOptions { Seed = settings.Seed, MaxMemoryMegabytes = settings.MaxMemory, Precision = precision };
        FimMeasurement measurement = WithProgress(output, $"measuring {spec.Name} ({method.CliName()})", settings.Samples,
            progress => FimMeasurer.Measure(model, inputs, method, options, progress, cancellation.Token));
        InstantiatedBound bound = BoundInstantiator.Instantiate(spec, model, inputs, new InstantiationOptions { Seed = settings.Seed });
        BoundCheck check = bound.Check(measurement);

        MeasureReport report = MeasureReport.Create(spec.Name, settings, inputDescription, measurement, bound, check, clock.Elapsed.TotalSeconds);
        MeasureTable.Render(ConsoleRendering.Over(output), report);
        if (settings.Json is { } path)
        {
            AtomicFile.WriteAllText(path, report.ToJson());
        }

        if (measurement.Summary.Count == 0)
        {
            error.WriteLine($"fimbounds: every input gave non-finite logits or gradients ({measurement.Samples[0].Problem}); the model is broken at these inputs.");
            return 1;
        }
        if (!check.Holds)
        {
            BoundViolation first = check.Violations[0];
            error.WriteLine(
                $"fimbounds: the bound does NOT hold: at input {first.Index} the measured value {first.Measured:G6} exceeds the {first.Bound} bound " +
                $"{first.BoundValue:G6} ({check.Violations.Count} violations). A violated bound is a bug in a bound rule or its instantiation; please report it.");
            return 1;
        }
        return 0;
    }

    private static T WithProgress<T>(TextWriter output, string description, int total, Func<IProgress<FimProgress>?, T> work)
    {
        if (!ConsoleRendering.CanShowProgress(output))
        {
            return work(null);
        }
        T result = default!;
        AnsiConsole.Progress().AutoClear(true).Start(context =>
        {
            ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: total);
            result = work(new Progress(task));
        });
        return result;
    }

    /// <summary>Ctrl+C cancels the measurement (between chunks) instead of killing the process mid-write.</summary>
    private static CancellationTokenSource CancelOnCtrlC(TextWriter output)
    {
        var source = new CancellationTokenSource();
        if (ReferenceEquals(output, Console.Out))
        {
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                source.Cancel();
            };
        }
        return source;
    }

    private sealed class Progress(ProgressTask task) : IProgress<FimProgress>
    {
        public void Report(FimProgress value) => task.Value = value.Done;
    }
}

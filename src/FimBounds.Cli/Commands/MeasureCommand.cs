using System.CommandLine;
using FimBounds.Cli.Infrastructure;
using FimBounds.Cli.Rendering;
using FimBounds.Engine.Bounds;
using FimBounds.Engine.Measurement;
using FimBounds.Study.Measurement;
using FimBounds.Study.Progress;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds measure &lt;spec&gt;`: measures λ_max(F(x)) of a model of the spec at every input, instantiates the
/// spec's bound with the model's weights and checks bound ≥ measured (<see cref="MeasureRun"/>); prints the
/// table, writes the JSON, exits 1 if the bound is violated.
/// </summary>
public static class MeasureCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "The spec name (see 'fimbounds list')." };

    private static readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        Description = "Weights to load into the spec's model; without it the model is randomly initialised from --seed.",
    };

    private static readonly Option<int> Samples = new Option<int>("--samples")
    {
        Description = "How many inputs to measure.",
        DefaultValueFactory = _ => 100,
    }.Positive();

    private static readonly Option<string> Method = new Option<string>("--method")
    {
        // The description lists the methods; seven choices in the placeholder would widen every help line.
        HelpName = "method",
        Description = "exact (default) | lanczos | power | hutchinson | blackbox (forward passes only) | srp, srp-blackbox (the reference " +
            "code's estimators, biased low).",
        DefaultValueFactory = _ => "exact",
    }.OneOf(StringComparer.OrdinalIgnoreCase, FimMethods.AllNames);

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the initialisation, the inputs and every estimator.", DefaultValueFactory = _ => 0 };

    private static readonly Option<string> Inputs = new Option<string>("--inputs")
    {
        Description = "data (default): test images of --data; random: uniform [0,1] pixels of the spec's input shape.",
        DefaultValueFactory = _ => "data",
    }.OneOf("data", "random");

    private static readonly Option<string?> Data = DataOptions.CreateDataOption();

    private static readonly Option<string?> Json = new("--json") { Description = "Also write the full result as JSON to this file." };

    private static readonly Option<long?> MaxMemory = new Option<long?>("--max-memory")
    {
        Description = "Cap in MB on the memory one chunk of inputs may use (default: half of the memory available).",
    }.Positive("number of MB");

    private static readonly Option<string> Precision = new Option<string>("--precision")
    {
        Description = "double (default) or single: the working precision of every method (black-box finite-difference steps adapt to it).",
        DefaultValueFactory = _ => "double",
    }.OneOf("double", "single");

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("measure",
            "Measure the FIM spectral norm λ_max(F(x)) of a model at many inputs and check the spec's bound against it.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { Checkpoint, Samples, Method, Seed, Inputs, Data, Json, MaxMemory, Precision, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            new MeasureSettings(parse.GetValue(Spec)!, parse.GetValue(Checkpoint), parse.GetValue(Samples), parse.GetValue(Method)!,
                parse.GetValue(Seed), parse.GetValue(Json), parse.GetValue(MaxMemory), parse.GetValue(Precision)!,
                parse.GetValue(Inputs)!, parse.GetValue(Data), parse.GetValue(Specs)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    public static int Run(MeasureSettings settings, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        MeasureOutcome outcome = ProgressReporting.Run(output, $"measuring {settings.Spec} ({settings.Method})", settings.Samples,
            bar => MeasureRun.Execute(settings, new SynchronousProgress<FimProgress>(p => bar.Update(p.Done, $"measuring {settings.Spec}: {p.Done}/{p.Total}")),
                cancellation));
        MeasureTable.Render(ConsoleRendering.Over(output), outcome.Report);
        if (settings.Json is { } path)
        {
            AtomicFile.WriteAllText(path, outcome.Report.ToJson());
        }

        if (outcome.FiniteInputs == 0)
        {
            error.WriteLine($"fimbounds: every input gave non-finite logits or gradients ({outcome.FirstProblem}); the model is broken at these inputs.");
            return 1;
        }
        BoundCheck check = outcome.Check;
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
}

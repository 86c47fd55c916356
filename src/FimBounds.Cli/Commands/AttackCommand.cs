using System.CommandLine;
using System.Globalization;
using FimBounds.Cli.Infrastructure;
using FimBounds.Cli.Rendering;
using FimBounds.Nn.Specs;
using FimBounds.Study.Attacks;
using FimBounds.Study.Progress;
using FimBounds.Training.Attacks;
using FimBounds.Zoo;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds attack &lt;spec&gt; --checkpoint PATH`: runs FGSM, PGD-L∞, PGD-L2 or CW-L2 on the test split in pixel
/// space and prints clean and robust accuracy and the success rate; optionally the per-input minimal ε.
/// </summary>
public static class AttackCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The zoo spec the checkpoint was trained for, e.g. vgg-mini." };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint written by 'fimbounds train'.", Required = true };
        var attack = new Option<string>("--attack") { Description = "fgsm, pgd (L∞), pgd-l2 or cw (L2).", DefaultValueFactory = _ => "pgd" };
        attack.AcceptOnlyFromAmong([.. AttackRequest.Kinds]);
        var epsilon = new Option<double?>("--eps")
        {
            Description = "Budget in pixel space [0,1]: L∞ for fgsm/pgd (default 8/255), L2 for pgd-l2 (default 1.0). CW is unbounded.",
        };
        var steps = new Option<int?>("--steps") { Description = "Iterations of pgd, pgd-l2 and cw (default 20)." };
        var samples = new Option<int>("--samples") { Description = "Attack the first N test images.", DefaultValueFactory = _ => 500 };
        var seed = new Option<long>("--seed") { Description = "Seed of the random starts.", DefaultValueFactory = _ => 0 };
        var minimal = new Option<bool>("--minimal-eps") { Description = "Also find every input's minimal PGD-L∞ ε by bisection (up to 32/255)." };
        var json = new Option<string?>("--json") { Description = "Write the report, with every input's outcome, to this JSON file." };
        var data = DataOptions.CreateDataOption();

        var command = new Command("attack", "Attack a trained checkpoint: clean and robust accuracy, attack success rate, minimal ε.")
        {
            spec, checkpoint, attack, epsilon, steps, samples, seed, minimal, json, data, SpecSource.SpecsOption(),
        };
        command.SetAction((parse, cancellation) =>
        {
            TextWriter console = parse.InvocationConfiguration.Output;
            IModelSpec model = SpecSource.Spec(parse, parse.GetValue(spec)!);
            AttackSettings settings = AttackRequest.Settings(parse.GetValue(attack)!, parse.GetValue(epsilon), parse.GetValue(steps), parse.GetValue(seed));
            int count = UsageChecks.Positive(parse.GetValue(samples), "--samples");
            using AttackSession session = AttackSession.Open(model, parse.GetValue(checkpoint)!, parse.GetValue(data), count);
            console.WriteLine($"Attacking {session.Checkpoint.Summary} with {settings.Describe()} on {session.Count} test images of the {session.Data.Source}.");

            AttackReport report = ProgressReporting.Run(console, settings.Describe(), session.Count, bar =>
                session.Attack(settings, new SynchronousProgress<AttackProgress>(p => bar.Update(p.Done, $"{settings.Kind}: {p.Done}/{p.Total}, fooled {p.Fooled}")),
                    cancellation));
            console.WriteLine($"clean accuracy {report.CleanAccuracy:P1}, robust accuracy {report.RobustAccuracy:P1}, attack success rate {report.SuccessRate:P1}" +
                              (double.IsNaN(report.MeanL2OfSuccesses) ? "" : $", mean ‖δ‖₂ of successes {report.MeanL2OfSuccesses:G3}, mean ‖δ‖∞ {report.MeanLInfOfSuccesses:G3}") +
                              $" ({report.Seconds:F1} s)");

            MinimalEpsilonReport? minimalReport = null;
            if (parse.GetValue(minimal))
            {
                var options = new MinimalEpsilonOptions { Seed = settings.Seed };
                minimalReport = ProgressReporting.Run(console, "minimal ε", session.Count, bar =>
                    session.MinimalEpsilon(options, new SynchronousProgress<AttackProgress>(p => bar.Update(p.Done, $"minimal ε: {p.Done}/{p.Total}")), cancellation));
                int censored = minimalReport.Inputs.Count(i => i.CleanCorrect && double.IsPositiveInfinity(i.Epsilon));
                console.WriteLine($"minimal PGD-L∞ ε: median {Format(minimalReport.MedianEpsilon)} (= {minimalReport.MedianEpsilon * 255:F2}/255) over the correctly classified inputs; " +
                                  $"{censored} survived ε = {options.MaxEpsilon * 255:F0}/255 ({minimalReport.Seconds:F1} s)");
            }

            if (parse.GetValue(json) is { } jsonPath)
            {
                AtomicFile.WriteAllText(jsonPath, session.Document(report, minimalReport).ToJson());
                console.WriteLine($"Report: {jsonPath}");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Format(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("G3", CultureInfo.InvariantCulture);
}

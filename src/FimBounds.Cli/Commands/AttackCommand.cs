using System.CommandLine;
using System.Globalization;
using FimBounds.Cli.Infrastructure;
using FimBounds.Cli.Rendering;
using FimBounds.Study.Attacks;
using FimBounds.Study.Progress;
using FimBounds.Training.Attacks;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds attack &lt;spec&gt; --checkpoint PATH`: runs FGSM, PGD-L∞, PGD-L2 or CW-L2 on the test split in pixel
/// space and prints clean and robust accuracy and the success rate; optionally the per-input minimal ε.
/// </summary>
public static class AttackCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "The zoo spec the checkpoint was trained for, e.g. vgg-mini." };

    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Checkpoint written by 'fimbounds train'.", Required = true };

    private static readonly Option<string> Attack = new Option<string>("--attack")
    {
        Description = "fgsm, pgd (L∞), pgd-l2 or cw (L2).",
        DefaultValueFactory = _ => "pgd",
    }.OneOf([.. AttackRequest.Kinds]);

    private static readonly Option<double?> Epsilon = new Option<double?>("--eps")
    {
        Description = "Budget in pixel space [0,1]: L∞ for fgsm/pgd (default 8/255), L2 for pgd-l2 (default 1.0). CW is unbounded.",
    }.PositiveReal("pixel scale [0,1], e.g. 0.0314 for 8/255", zeroAllowed: true);

    private static readonly Option<int?> Steps = new Option<int?>("--steps") { Description = "Iterations of pgd, pgd-l2 and cw (default 20)." }.Positive();

    private static readonly Option<int> Samples = new Option<int>("--samples")
    {
        Description = "Attack the first N test images.",
        DefaultValueFactory = _ => 500,
    }.Positive();

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the random starts.", DefaultValueFactory = _ => 0 };

    private static readonly Option<bool> MinimalEpsilon = new("--minimal-eps") { Description = "Also find every input's minimal PGD-L∞ ε by bisection (up to 32/255)." };

    private static readonly Option<string?> Json = new("--json") { Description = "Write the report, with every input's outcome, to this JSON file." };

    private static readonly Option<string?> Data = DataOptions.CreateDataOption();

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("attack", "Attack a trained checkpoint: clean and robust accuracy, attack success rate, minimal ε.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { Checkpoint, Attack, Epsilon, Steps, Samples, Seed, MinimalEpsilon, Json, Data, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            new AttackRequest(parse.GetValue(Spec)!, parse.GetValue(Checkpoint)!, parse.GetValue(Attack)!, parse.GetValue(Epsilon), parse.GetValue(Steps),
                parse.GetValue(Samples), parse.GetValue(Seed), parse.GetValue(MinimalEpsilon), parse.GetValue(Json), parse.GetValue(Data), parse.GetValue(Specs)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    public static int Run(AttackRequest request, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        AttackSettings settings = request.Settings();
        using AttackSession session = AttackSession.Open(request);
        output.WriteLine($"Attacking {session.Checkpoint.Summary} with {settings.Describe()} on {session.Count} test images of the {session.Data.Source}.");

        AttackReport report = ProgressReporting.Run(output, settings.Describe(), session.Count, bar =>
            session.Attack(settings, new SynchronousProgress<AttackProgress>(p => bar.Update(p.Done, $"{settings.Kind}: {p.Done}/{p.Total}, fooled {p.Fooled}")),
                cancellation));
        output.WriteLine($"clean accuracy {report.CleanAccuracy:P1}, robust accuracy {report.RobustAccuracy:P1}, attack success rate {report.SuccessRate:P1}" +
                         (double.IsNaN(report.MeanL2OfSuccesses) ? "" : $", mean ‖δ‖₂ of successes {report.MeanL2OfSuccesses:G3}, mean ‖δ‖∞ {report.MeanLInfOfSuccesses:G3}") +
                         $" ({report.Seconds:F1} s)");

        MinimalEpsilonReport? minimalReport = null;
        if (request.MinimalEpsilon)
        {
            var options = new MinimalEpsilonOptions { Seed = settings.Seed };
            minimalReport = ProgressReporting.Run(output, "minimal ε", session.Count, bar =>
                session.MinimalEpsilon(options, new SynchronousProgress<AttackProgress>(p => bar.Update(p.Done, $"minimal ε: {p.Done}/{p.Total}")), cancellation));
            int censored = minimalReport.Inputs.Count(i => i.CleanCorrect && double.IsPositiveInfinity(i.Epsilon));
            output.WriteLine($"minimal PGD-L∞ ε: median {Format(minimalReport.MedianEpsilon)} (= {minimalReport.MedianEpsilon * 255:F2}/255) over the correctly classified inputs; " +
                             $"{censored} survived ε = {options.MaxEpsilon * 255:F0}/255 ({minimalReport.Seconds:F1} s)");
        }

        if (request.Json is { } jsonPath)
        {
            AtomicFile.WriteAllText(jsonPath, session.Document(report, minimalReport).ToJson());
            output.WriteLine($"Report: {jsonPath}");
        }
        return 0;
    }

    private static string Format(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("G3", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using FimBounds.Cli.Infrastructure;
using FimBounds.Cli.Rendering;
using FimBounds.Engine.Certification;
using FimBounds.Study.Certification;
using FimBounds.Study.Progress;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds certify &lt;spec&gt; --checkpoint CK`: certified predictions, radii and local FIM bounds over
/// ε-balls around test images, beside PGD's minimal ε and the exact λ_max (<see cref="CertifyRun"/>);
/// prints the table, writes the JSON, exits 1 if an attack or a measurement ever broke a certificate.
/// </summary>
public static class CertifyCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "The spec the checkpoint was trained for, e.g. vgg-mini (the zoo, or your own with --specs)." };

    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Checkpoint written by 'fimbounds train' (or the rank/demo cache).", Required = true };

    private static readonly Option<string> Norm = new Option<string>("--norm")
    {
        Description = "linf (default) or l2: the ball's norm, in pixel units, intersected with [0,1].",
        DefaultValueFactory = _ => "linf",
    }.OneOf("linf", "l2");

    private static readonly Option<double?> Epsilon = new Option<double?>("--eps")
    {
        Description = "The ball's radius (default 1/255 for linf, 0.1 for l2).",
    }.PositiveReal("in pixel units, e.g. 0.00392 for 1/255");

    private static readonly Option<bool> Radius = new("--radius") { Description = "Also find every input's certified radius by bisection (up to 32/255 in linf, 4 in l2)." };

    private static readonly Option<string> Method = new Option<string>("--method")
    {
        Description = "crown (default: linear relaxation over forward linear intermediate bounds), alpha-crown (crown with the ReLU lower slopes optimised per margin), " +
                      "crown-full (every intermediate bound by CROWN's backward pass: tighter, minutes per input on the mini CNNs), " +
                      "crown-ibp (CROWN's last pass over interval intermediate bounds: the demo's) or ibp (interval bounds, fast).",
        DefaultValueFactory = _ => "crown",
    }.OneOf(CertificationMethods.All.ToArray());

    private static readonly Option<int> Samples = new Option<int>("--samples") { Description = "Certify the first N test images.", DefaultValueFactory = _ => 20 }.Positive();

    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of PGD's random starts and of the points sampled in each ball.", DefaultValueFactory = _ => 0 };

    private static readonly Option<string?> Json = new("--json") { Description = "Also write the full result as JSON to this file." };

    private static readonly Option<string?> Data = DataOptions.CreateDataOption();

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("certify",
            "Certify a trained model around test images: certified prediction and radius, a local FIM bound over the ball, beside PGD and the exact λ_max.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { Checkpoint, Norm, Epsilon, Radius, Method, Samples, Seed, Json, Data, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            new CertifySettings(parse.GetValue(Spec)!, parse.GetValue(Checkpoint)!, parse.GetValue(Norm)!, parse.GetValue(Epsilon), parse.GetValue(Radius),
                parse.GetValue(Method)!, parse.GetValue(Samples), parse.GetValue(Json), parse.GetValue(Seed), parse.GetValue(Data), parse.GetValue(Specs)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    public static int Run(CertifySettings settings, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        CertifyReport report = ProgressReporting.Run(output, $"certifying {settings.Spec} ({settings.Method}, {settings.Norm})", settings.Samples,
            bar => CertifyRun.Execute(settings, new SynchronousProgress<CertifyProgress>(p => bar.Update(p.Done, $"certifying {settings.Spec}: {p.Done}/{p.Total}, certified {p.Certified}")),
                cancellation));
        CertifyTable.Render(ConsoleRendering.Over(output), report);
        if (settings.Json is { } path)
        {
            AtomicFile.WriteAllText(path, report.ToJson());
        }
        CertifyReport.SummaryRow summary = report.Summary;
        if (summary.RadiusViolations > 0 || summary.FisherViolations > 0)
        {
            error.WriteLine($"fimbounds: a certificate was broken ({summary.RadiusViolations} radii above the PGD minimal ε, {summary.FisherViolations} λ_max found above Λ); " +
                            "this is a bug in the certification; please report it with the JSON (--json).");
            return 1;
        }
        return 0;
    }
}

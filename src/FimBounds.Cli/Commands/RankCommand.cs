using System.CommandLine;
using FimBounds.Study.Models;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds rank [--specs A,B,…] [--checkpoints DIR] [--samples N] [--seed S] [--out DIR]`: theory vs
/// measurement vs attacks for the chosen specs (standard and PGD-trained), in one report.
/// </summary>
public static class RankCommand
{
    public static Command Create()
    {
        var specs = new Option<string>("--specs")
        {
            Description = "Comma-separated spec names (mini zoo: vgg-mini,resnet-mini,densenet-mini,vit-mini); a .dll or .csproj item stands for every spec it declares, and makes its names usable.",
            DefaultValueFactory = _ => string.Join(",", MiniZoo.Specs),
        };
        var shared = new RankOptionSet();
        var command = new Command("rank",
            "Rank architectures in theory (bounds), in measurement (λ_max of the input FIM) and under attack (PGD, CW); " +
            "trains what is not cached and writes report.md/json/html.") { specs };
        shared.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            string[] names = parse.GetValue(specs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            RankOptions options = shared.Read(parse, new RankOptions { Specs = names });
            return Task.FromResult(RankRun.Execute(options, parse.InvocationConfiguration.Output, cancellation));
        });
        return command;
    }
}

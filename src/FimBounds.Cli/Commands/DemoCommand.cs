using System.CommandLine;
using FimBounds.Study.Models;
using FimBounds.Study.Ranking;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds demo [--out DIR]`: the main job — `rank` over the whole mini zoo (VGG, ResNet, DenseNet,
/// ViT × standard and PGD-trained) on the embedded Fashion-MNIST subset, training what is not cached.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo",
            "The main job: train (or reuse) the mini zoo, bound, measure, attack and rank it; report in --out " +
            "(default ./fimbounds-report). About ten minutes on two cores from scratch, seconds when cached.");
        RankStudyOptions.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(RankCommand.Run(
            RankStudyOptions.Read(parse, new RankOptions { Specs = MiniZoo.Specs }),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }
}

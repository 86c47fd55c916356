using System.CommandLine;

namespace FimBounds.Cli.Commands;

/// <summary>Every command of the tool, in the order `fimbounds --help` lists them. One file per command.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DoctorCommand.Create();
        yield return ListCommand.Create();
        yield return BoundCommand.Create();
        yield return DataCommand.Create();
        yield return TrainCommand.Create();
        yield return ImportCommand.Create();
        yield return ExportCommand.Create();
        yield return AttackCommand.Create();
        yield return MeasureCommand.Create();
        yield return CertifyCommand.Create();
        yield return BenchCommand.Create();
        yield return RankCommand.Create();
        yield return DemoCommand.Create();
    }
}

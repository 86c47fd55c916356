using FimBounds.Cli.Infrastructure;

return CliApplication.Run(args, Console.Out, Console.Error);

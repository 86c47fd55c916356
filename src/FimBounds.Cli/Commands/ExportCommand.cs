using System.CommandLine;
using FimBounds.Nn.Interop;
using FimBounds.Nn.Specs;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds export --checkpoint X.ckpt --to FILE(.pt|.safetensors)`: the checkpoint's weights as a state_dict
/// that PyTorch loads with load_state_dict(strict=True) into the same architecture written with torchvision's names.
/// </summary>
public static class ExportCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "A checkpoint written by 'fimbounds train' or 'fimbounds import'.", Required = true };

    private static readonly Option<string> To = new("--to") { Description = "The file to write: .pt (torch.save) or .safetensors.", Required = true };

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("export", "Export a checkpoint's weights as a PyTorch state_dict (.pt or .safetensors).");
        foreach (Option option in new Option[] { Checkpoint, To, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(parse.GetValue(Checkpoint)!, parse.GetValue(To)!, parse.GetValue(Specs), parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string checkpoint, string target, string? specs, TextWriter output)
    {
        IModelSpec spec = PyTorchWeights.SpecOf(checkpoint, SpecSource.Catalog(specs).Find);
        int tensors = PyTorchWeights.Export(spec, checkpoint, target);
        output.WriteLine($"{target}: {tensors} tensors of {spec.Name} ({spec.Description.Parameters:N0} parameters), loadable with load_state_dict(strict=True).");
        return 0;
    }
}

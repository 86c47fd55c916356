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
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by 'fimbounds train' or 'fimbounds import'.", Required = true };
        var to = new Option<string>("--to") { Description = "The file to write: .pt (torch.save) or .safetensors.", Required = true };
        var command = new Command("export", "Export a checkpoint's weights as a PyTorch state_dict (.pt or .safetensors).") { checkpoint, to, SpecSource.SpecsOption() };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(checkpoint)!;
            string target = parse.GetValue(to)!;
            IModelSpec spec = PyTorchWeights.SpecOf(path, SpecSource.Catalog(parse).Find);
            int tensors = PyTorchWeights.Export(spec, path, target);
            parse.InvocationConfiguration.Output.WriteLine($"{target}: {tensors} tensors of {spec.Name} ({spec.Description.Parameters:N0} parameters), loadable with load_state_dict(strict=True).");
            return 0;
        });
        return command;
    }
}

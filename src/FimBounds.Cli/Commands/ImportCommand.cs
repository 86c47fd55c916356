using System.CommandLine;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Interop;
using FimBounds.Nn.Specs;

namespace FimBounds.Cli.Commands;

/// <summary>
/// `fimbounds import &lt;spec&gt; --from FILE --out X.ckpt`: a PyTorch state_dict (torch.save .pt or
/// safetensors) whose keys are the spec's torchvision names becomes a normal checkpoint, after every key
/// and shape is checked.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The spec the weights belong to, e.g. resnet18 (see 'fimbounds list')." };
        var from = new Option<string>("--from") { Description = "The state_dict: a torch.save .pt/.pth file or .safetensors.", Required = true };
        var output = new Option<string>("--out") { Description = "The checkpoint to write.", Required = true };
        var command = new Command("import", "Import a PyTorch state_dict (.pt or .safetensors) into a FimBounds checkpoint.") { spec, from, output, SpecSource.SpecsOption() };
        command.SetAction(parse =>
        {
            IModelSpec model = SpecSource.Spec(parse, parse.GetValue(spec)!);
            string checkpoint = parse.GetValue(output)!;
            CheckpointMetadata metadata = PyTorchWeights.Import(model, parse.GetValue(from)!, checkpoint);
            parse.InvocationConfiguration.Output.WriteLine(
                $"{checkpoint}: {metadata.Summary}, {model.Description.Parameters:N0} parameters; every key and shape matched.");
            return 0;
        });
        return command;
    }
}

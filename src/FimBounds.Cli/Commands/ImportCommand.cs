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
    private static readonly Argument<string> Spec = new("spec") { Description = "The spec the weights belong to, e.g. resnet18 (see 'fimbounds list')." };

    private static readonly Option<string> From = new("--from") { Description = "The state_dict: a torch.save .pt/.pth file or .safetensors.", Required = true };

    private static readonly Option<string> Out = new("--out") { Description = "The checkpoint to write.", Required = true };

    private static readonly Option<string?> Specs = SpecSource.SpecsOption();

    public static Command Create()
    {
        var command = new Command("import", "Import a PyTorch state_dict (.pt or .safetensors) into a FimBounds checkpoint.");
        command.Arguments.Add(Spec);
        foreach (Option option in new Option[] { From, Out, Specs })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(parse.GetValue(Spec)!, parse.GetValue(From)!, parse.GetValue(Out)!, parse.GetValue(Specs), parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string spec, string from, string checkpoint, string? specs, TextWriter output)
    {
        IModelSpec model = SpecSource.Spec(specs, spec);
        CheckpointMetadata metadata = PyTorchWeights.Import(model, from, checkpoint);
        output.WriteLine($"{checkpoint}: {metadata.Summary}, {model.Description.Parameters:N0} parameters; every key and shape matched.");
        return 0;
    }
}

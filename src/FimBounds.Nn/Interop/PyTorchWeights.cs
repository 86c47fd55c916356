using FimBounds.Core.Errors;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using static TorchSharp.torch;

namespace FimBounds.Nn.Interop;

/// <summary>
/// A spec's weights across the PyTorch boundary. The generated models use torchvision's state_dict keys,
/// so a torchvision (or same-named) state_dict imports into a normal checkpoint, and a checkpoint exports
/// to a file that PyTorch loads with load_state_dict(strict=True).
/// </summary>
public static class PyTorchWeights
{
    /// <summary>Reads <paramref name="from"/>, checks it against <paramref name="spec"/> and writes a checkpoint.</summary>
    public static CheckpointMetadata Import(IModelSpec spec, string from, string checkpointPath)
    {
        IReadOnlyList<RawTensor> tensors = StateDictFile.Read(from);
        using var model = spec.CreateModel();
        ModuleWeights.Load(model, tensors, from, spec.Name);
        var metadata = new CheckpointMetadata
        {
            SpecName = spec.Name,
            StructureHash = StructureHash.Of(spec.Description),
            Dataset = "",
            ImportedFrom = Path.GetFileName(from),
            WrittenBy = Checkpoint.WriterVersion,
        };
        Checkpoint.Save(checkpointPath, model, metadata);
        return metadata;
    }

    /// <summary>Writes the checkpoint's weights as a state_dict: safetensors for .safetensors, torch.save for .pt/.pth.</summary>
    public static int Export(IModelSpec spec, string checkpointPath, string to)
    {
        var (model, _) = Checkpoint.Load(checkpointPath, spec);
        using (model)
        {
            IReadOnlyList<RawTensor> tensors = ModuleWeights.Read(model);
            StateDictFile.Write(to, tensors);
            return tensors.Count;
        }
    }

    /// <summary>The spec a checkpoint names, looked up in <paramref name="find"/> (which reports unknown names).</summary>
    public static IModelSpec SpecOf(string checkpointPath, Func<string, IModelSpec> find)
    {
        CheckpointMetadata metadata = Checkpoint.ReadMetadata(checkpointPath);
        try
        {
            return find(metadata.SpecName);
        }
        catch (UsageException e)
        {
            throw new InputException($"{checkpointPath} holds weights of '{metadata.SpecName}', a spec neither in the zoo nor in --specs; pass the assembly that declares it with --specs PATH.", e);
        }
    }
}

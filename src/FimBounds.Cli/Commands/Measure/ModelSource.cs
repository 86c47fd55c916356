using FimBounds.Core.Errors;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Cli.Commands.Measure;

/// <summary>The model a command measures: the spec's architecture, randomly initialised from the seed or loaded from a checkpoint.</summary>
public static class ModelSource
{
    public static nn.Module<Tensor, Tensor> Load(IModelSpec spec, string? checkpoint, long seed)
    {
        manual_seed(seed);
        nn.Module<Tensor, Tensor> model = spec.CreateModel();
        if (checkpoint is null)
        {
            return model;
        }
        if (!File.Exists(checkpoint))
        {
            throw new InputException($"checkpoint '{checkpoint}' does not exist; give the path of a file saved for spec '{spec.Name}'.");
        }
        try
        {
            model.load(checkpoint);
        }
        catch (Exception e) when (e is not FimBoundsException)
        {
            throw new InputException($"checkpoint '{checkpoint}' cannot be loaded into spec '{spec.Name}' ({e.Message}); " +
                "check that it was saved for this spec.", e);
        }
        return model;
    }

    /// <summary>Uniform [0, 1] pixels of the spec's input shape, reproducible from the seed.</summary>
    public static Tensor RandomInputs(IModelSpec spec, int count, long seed)
    {
        using var generator = new Generator((ulong)seed + 7919);
        long[] shape = new[] { (long)count }.Concat(spec.Description.Input.Dims.Select(d => (long)d)).ToArray();
        return rand(shape, dtype: float32, generator: generator);
    }
}

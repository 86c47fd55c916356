using FimBounds.Core.Errors;
using FimBounds.Data;
using FimBounds.Nn.Checkpoints;
using FimBounds.Nn.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Study.Models;

/// <summary>The model and the inputs a command measures.</summary>
public static class ModelSource
{
    /// <summary>The spec's model: loaded from a checkpoint (checked against the spec), or randomly initialised from the seed.</summary>
    public static nn.Module<Tensor, Tensor> Load(IModelSpec spec, string? checkpoint, long seed)
    {
        if (checkpoint is not null)
        {
            return Checkpoint.Load(checkpoint, spec).Model;
        }
        manual_seed(seed);
        return spec.CreateModel();
    }

    /// <summary>Uniform [0, 1] pixels of the spec's input shape, reproducible from the seed.</summary>
    public static Tensor RandomInputs(IModelSpec spec, int count, long seed)
    {
        using var generator = new Generator((ulong)seed + 7919);
        long[] shape = new[] { (long)count }.Concat(spec.Description.Input.Dims.Select(d => (long)d)).ToArray();
        return rand(shape, dtype: float32, generator: generator);
    }

    /// <summary>
    /// <paramref name="count"/> test images of a dataset (pixels in [0, 1]), drawn without repeats in an order
    /// fixed by the seed (a test split is often sorted by class). The images must have the spec's input shape.
    /// </summary>
    public static (Tensor Images, string Description) DatasetInputs(IModelSpec spec, string? data, int count, long seed)
    {
        LoadedData loaded = DatasetLoader.Load(data);
        ImageDataset test = loaded.Test;
        int[] expected = spec.Description.Input.Dims.ToArray();
        if (expected.Length != 3 || expected[0] != test.Channels || expected[1] != test.Height || expected[2] != test.Width)
        {
            throw new UsageException(
                $"{spec.Name} takes {string.Join("×", expected)} inputs but {loaded.Source} has {test.Channels}×{test.Height}×{test.Width} images; " +
                "measure on --inputs random, or give --data with images of the spec's shape.");
        }
        if (count > test.Count)
        {
            throw new UsageException($"--samples {count} is more than the {test.Count} test images of {loaded.Source}; ask for at most {test.Count}.");
        }
        int[] order = new DeterministicRandom(seed).Permutation(test.Count);
        return (test.Images(order.AsSpan(0, count)), $"{count} test images of {loaded.Source} (order from seed {seed})");
    }
}

using FimBounds.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Splits work into chunks that fit the memory budget. The size of one input's activations is measured
/// by a probe forward pass with hooks on the leaf modules; each kind of work multiplies it by how many
/// copies it keeps alive (autograd graph, gradients, a second-order graph for JVPs).
/// </summary>
internal static class ChunkPlanner
{
    /// <summary>Elements of all leaf-module outputs (plus input and logits) for one input.</summary>
    public static long ActivationElementsPerInput(nn.Module<Tensor, Tensor> model, Tensor oneInput) => Probe(model, oneInput).Elements;

    /// <summary>Activation elements for one input and the number of classes, from one probe forward pass.</summary>
    public static (long Elements, long Classes) Probe(nn.Module<Tensor, Tensor> model, Tensor oneInput)
    {
        long classes;
        long total = oneInput.numel();
        var removers = new List<Action>();
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            if (module is nn.Module<Tensor, Tensor> leaf && !module.children().Any())
            {
                var remover = leaf.register_forward_hook((_, _, output) =>
                {
                    total += output.numel();
                    return output;
                });
                removers.Add(remover.remove);
            }
        }
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor logits = InputJacobian.Logits(model, oneInput);
            total += logits.numel();
            classes = logits.shape[1];
        }
        finally
        {
            foreach (Action remove in removers)
            {
                remove();
            }
        }
        // Models built from functional code (no leaf modules) get a conservative guess.
        return (total > oneInput.numel() * 2 ? total : oneInput.numel() * 64, classes);
    }

    /// <summary>
    /// How many inputs (or perturbed copies) one chunk may hold within the memory budget
    /// (<see cref="MemoryBudget"/>). <paramref name="graphCopies"/> is how many activation-sized tensors the
    /// work keeps per input; <paramref name="extraBytesPerInput"/> the rest
    /// (Jacobian rows, Krylov basis).
    /// </summary>
    public static int InputsPerChunk(long activationElements, int elementBytes, double graphCopies, long extraBytesPerInput,
        FimOptions options, FimMethod method, int cap)
    {
        (long budget, string source) = MemoryBudget.For(options.MaxMemoryMegabytes);
        double perInput = activationElements * (double)elementBytes * graphCopies + extraBytesPerInput;
        if (perInput > budget)
        {
            string hint = method == FimMethod.Exact
                ? "; or use --method lanczos, which never stores the K Jacobian rows"
                : string.Empty;
            string fix = options.MaxMemoryMegabytes is null ? "free memory" : "raise --max-memory or free memory";
            throw new InputException(
                $"one input needs about {Math.Ceiling(perInput / (1024 * 1024))} MB for method '{method.CliName()}' " +
                $"but the budget is {budget / (1024 * 1024)} MB ({source}); {fix}{hint}.");
        }
        return (int)Math.Max(1, Math.Min(cap, Math.Floor(budget / perInput)));
    }
}

using FimBounds.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Nn.Interop;

/// <summary>
/// Moves a module's state_dict to and from <see cref="RawTensor"/>s. Loading is strict like PyTorch's
/// load_state_dict(strict=True): every key the module has must be present with the same shape and no key
/// may be left over; the first problem of each kind is named in a one-line error. Values are converted to
/// the module's own element type (a float32 file loads into a float64 model).
/// </summary>
public static class ModuleWeights
{
    /// <summary>The module's parameters and buffers, by state_dict key in PyTorch's order, as contiguous CPU bytes.</summary>
    public static IReadOnlyList<RawTensor> Read(nn.Module module)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stateDict = module.state_dict();
        var tensors = new List<RawTensor>();
        foreach (string name in PyTorchOrder(module, "").Where(stateDict.ContainsKey).Concat(stateDict.Keys).Distinct())
        {
            Tensor value = stateDict[name];
            TensorDType dtype = TensorDType.FromScalarType(value.dtype)
                ?? throw new InputException($"state_dict entry '{name}' has element type {value.dtype}, which cannot be exported.");
            Tensor contiguous = value.detach().cpu().contiguous();
            tensors.Add(new RawTensor(name, dtype, value.shape, contiguous.bytes.ToArray()));
        }
        return tensors;
    }

    /// <summary>
    /// The keys as PyTorch's state_dict() lists them — module by module, depth first, each module's own
    /// parameters, then its own buffers — where TorchSharp lists every parameter before any buffer. Loading
    /// ignores the order; a user comparing key lists, or a twin's state_dict byte for byte, does not.
    /// </summary>
    private static IEnumerable<string> PyTorchOrder(nn.Module module, string prefix)
    {
        foreach ((string name, _) in module.named_parameters(recurse: false))
        {
            yield return prefix + name;
        }
        foreach ((string name, _) in module.named_buffers(recurse: false))
        {
            yield return prefix + name;
        }
        foreach ((string name, nn.Module child) in module.named_children())
        {
            foreach (string key in PyTorchOrder(child, prefix + name + "."))
            {
                yield return key;
            }
        }
    }

    /// <summary>Copies <paramref name="tensors"/> into <paramref name="module"/>'s parameters and buffers.</summary>
    public static void Load(nn.Module module, IReadOnlyList<RawTensor> tensors, string source, string modelName)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> targets = module.state_dict();
        var given = new Dictionary<string, RawTensor>(StringComparer.Ordinal);
        foreach (RawTensor tensor in tensors)
        {
            given[tensor.Name] = tensor;
        }
        CheckKeys(targets, given, tensors, source, modelName);
        using (no_grad())
        {
            foreach ((string name, Tensor target) in targets)
            {
                RawTensor raw = given[name];
                Tensor value = empty(raw.Shape, raw.DType.ScalarType);
                value.bytes = raw.Data;
                target.copy_(value);
            }
        }
    }

    private static void CheckKeys(Dictionary<string, Tensor> targets, Dictionary<string, RawTensor> given, IReadOnlyList<RawTensor> order, string source, string modelName)
    {
        List<string> missing = targets.Keys.Where(k => !given.ContainsKey(k)).ToList();
        List<string> extra = order.Select(t => t.Name).Where(k => !targets.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing {Few(missing)}");
            }
            if (extra.Count > 0)
            {
                parts.Add($"unexpected {Few(extra)}");
            }
            throw new InputException(
                $"{source}: does not match {modelName}'s state_dict ({string.Join("; ", parts)}). The keys must be the spec's (torchvision's) names: 'fimbounds export' of a {modelName} checkpoint shows them.");
        }
        foreach ((string name, Tensor target) in targets)
        {
            RawTensor raw = given[name];
            if (!raw.Shape.SequenceEqual(target.shape))
            {
                throw new InputException(
                    $"{source}: '{name}' has shape {raw.ShapeText} but {modelName} needs [{string.Join(", ", target.shape)}]; the weights belong to another architecture or width.");
            }
        }
    }

    private static string Few(List<string> keys) =>
        string.Join(", ", keys.Take(3).Select(k => $"'{k}'")) + (keys.Count > 3 ? $" and {keys.Count - 3} more" : "");
}

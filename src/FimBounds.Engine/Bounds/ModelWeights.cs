using FimBounds.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// A model's parameters and buffers by state_dict key ("features.0.weight", "features.1.running_var").
/// Layer paths in the architecture description are these keys' prefixes, so a layer's tensors are
/// found by path + "." + name. Values are detached float64 copies: the model is never modified.
/// </summary>
public sealed class ModelWeights : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    public ModelWeights(nn.Module model)
    {
        _tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in model.state_dict())
        {
            _tensors[name] = value.detach().to(float64).clone();
        }
    }

    public IEnumerable<string> Keys => _tensors.Keys;

    /// <summary>The tensor <paramref name="name"/> of the layer at <paramref name="path"/>; an error naming both if absent.</summary>
    public Tensor Get(string path, string name)
    {
        string key = Key(path, name);
        if (_tensors.TryGetValue(key, out Tensor? value))
        {
            return value;
        }
        string near = string.Join(", ", _tensors.Keys.Where(k => k.StartsWith(path, StringComparison.Ordinal)).Take(6));
        throw new InputException(
            $"the model has no tensor '{key}', which the architecture description expects for layer '{path}'" +
            (near.Length > 0 ? $" (it has {near})" : string.Empty) +
            "; the model and the spec disagree: load a checkpoint of this spec, or regenerate the spec.");
    }

    public Tensor? Find(string path, string name) => _tensors.TryGetValue(Key(path, name), out Tensor? value) ? value : null;

    private static string Key(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public void Dispose()
    {
        foreach (Tensor tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
        _tensors.Clear();
    }
}

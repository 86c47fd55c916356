using TorchSharp;
using static TorchSharp.torch;
using FimBounds.Torch;

namespace FimBounds.Nn.Modules;

/// <summary>
/// The container every generated model is built from: an ordered program of <see cref="ChainItem"/>s over
/// submodules and parameters registered on this module under their PyTorch names. One container type
/// covers nn.Sequential stages, ResNet blocks (flat conv1/bn1/…/downsample children), DenseNet blocks and
/// ViT encoder blocks (two residual sub-blocks sharing one module), so torchvision state_dicts map 1:1.
/// </summary>
public sealed class Chain : nn.Module<Tensor, Tensor>
{
    private readonly ChainItem[] _items;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _modules = new(StringComparer.Ordinal);

    public Chain(params ChainItem[] items) : base(nameof(Chain))
    {
        // Every generated model is a Chain: a user's own program that only builds and runs one gets the
        // native workarounds (oneDNN's wrong float32 convolutions) before its first convolution too.
        FimBounds.Torch.NativeBackend.ApplyWorkarounds();
        _items = items;
        foreach (ChainItem item in items)
        {
            Register(item);
        }
    }

    /// <summary>The program this chain runs, in order (read by analyses that walk the model, e.g. its linearisation).</summary>
    public IReadOnlyList<ChainItem> Items => _items;

    /// <summary>The submodules by name, in registration order.</summary>
    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Children => _modules;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Run(_items, input).MoveToOuterDisposeScope();
    }

    private Tensor Run(IEnumerable<ChainItem> items, Tensor x)
    {
        foreach (ChainItem item in items)
        {
            x = item switch
            {
                LayerStep step => Call(_modules[step.Name], x),
                ResidualStep step => RunResidual(step, x),
                PatchifyStep step => _modules[step.Name].call(x).flatten(2).transpose(1, 2),
                DenseStep step => cat(new[] { x, _modules[step.Name].call(x) }, 1),
                ClassTokenStep step => PrependToken(Parameter(step.Name), x),
                PositionEmbeddingStep step => x.Plus(Parameter(step.Name)),
                _ => throw new InvalidOperationException($"unknown chain step {item.GetType().Name}"),
            };
        }
        return x;
    }

    private static Tensor Call(nn.Module<Tensor, Tensor> module, Tensor x) =>
        module is TorchSharp.Modules.BatchNorm { training: true } norm ? TrainingBatchNorm.Forward(norm, x) : module.call(x);

    private Tensor RunResidual(ResidualStep step, Tensor x)
    {
        Tensor body = Run(step.Body, x);
        Tensor shortcut = step.Shortcut is { } s ? Call(_modules[s.Name], x) : x;
        Tensor sum = body.Plus(shortcut);
        return step.After is { } a ? Call(_modules[a.Name], sum) : sum;
    }

    // torch.normal(0, std, shape) as libtorch draws it (randn · std + 0), with owned Scalars: TorchSharp's
    // own normal() passes std and the mean as temporaries the finalizer may free mid-call.
    private static Tensor Normal(double std, params long[] shape) => randn(shape).TimesInPlace(std).PlusInPlace(0.0);

    private static Tensor PrependToken(Tensor token, Tensor x) =>
        cat(new[] { token.expand(x.shape[0], -1, -1), x }, 1);

    // Looked up on every call rather than cached: module.to(dtype/device) replaces parameter objects.
    private Tensor Parameter(string name) =>
        get_parameter(name) ?? throw new InvalidOperationException($"parameter '{name}' is not registered");

    private void Register(ChainItem item)
    {
        switch (item)
        {
            case LayerStep step:
                Add(step.Name, step.Module);
                break;
            case ResidualStep step:
                foreach (ChainItem inner in step.Body)
                {
                    Register(inner);
                }
                if (step.Shortcut is { } shortcut)
                {
                    Add(shortcut.Name, shortcut.Module);
                }
                if (step.After is { } after && !_modules.ContainsKey(after.Name))
                {
                    Add(after.Name, after.Module);
                }
                break;
            case PatchifyStep step:
                Add(step.Name, step.Module);
                break;
            case DenseStep step:
                Add(step.Name, step.Module);
                break;
            case ClassTokenStep step:
                register_parameter(step.Name, new TorchSharp.Modules.Parameter(zeros(1, 1, step.Dim)));
                break;
            case PositionEmbeddingStep step:
                register_parameter(step.Name, new TorchSharp.Modules.Parameter(Normal(0.02, 1, step.Tokens, step.Dim)));
                break;
        }
    }

    private void Add(string name, nn.Module<Tensor, Tensor> module)
    {
        if (_modules.ContainsKey(name))
        {
            throw new ArgumentException($"two submodules are named '{name}' in one container; give them distinct names.");
        }
        _modules.Add(name, module);
        register_module(name, module);
    }
}

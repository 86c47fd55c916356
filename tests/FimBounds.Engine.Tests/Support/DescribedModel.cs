using FimBounds.Core.Architecture;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// A TorchSharp model interpreted from an architecture description: every primitive layer becomes a
/// module registered under its path (nested containers per path segment), so state_dict keys are the
/// description's paths — as in generated models, but built independently of the generator. Parameters
/// are float64 and randomised to "trained-looking" values (BatchNorm statistics, LayerNorm affine,
/// attention biases), so every term of the bound is exercised.
/// </summary>
public sealed class DescribedModel : nn.Module<Tensor, Tensor>
{
    private readonly ArchitectureDescription _description;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, nn.Module> _containers = new(StringComparer.Ordinal);

    public DescribedModel(ArchitectureDescription description, long seed, double weightScale = 1.0) : base("DescribedModel")
    {
        _description = description;
        ScalarType previous = get_default_dtype();
        set_default_dtype(float64);
        try
        {
            manual_seed(seed);
            foreach (Layer layer in description.PrimitiveLayers().Concat(description.AllLayers().OfType<Residual>().Where(r => r.After is not null).Select(r => (Layer)r.After!)).Distinct())
            {
                Create(layer);
            }
            Randomise(seed, weightScale);
        }
        finally
        {
            set_default_dtype(previous);
        }
    }

    public ArchitectureDescription Description => _description;

    public override Tensor forward(Tensor input) => Run(_description.Network, input);

    /// <summary>Runs one node of the description (and records every node's input when <paramref name="trace"/> is given).</summary>
    public Tensor Run(Layer layer, Tensor x, List<(Layer Layer, Tensor Input)>? trace = null)
    {
        trace?.Add((layer, x.detach()));
        switch (layer)
        {
            case Sequence s:
                foreach (Layer child in s.Layers)
                {
                    x = Run(child, x, trace);
                }
                return x;
            case Residual r:
            {
                Tensor sum = Run(r.Body, x, trace) + (r.Projection is null ? x : Run(r.Projection, x, trace));
                return r.After is null ? sum : Run(r.After, sum, trace);
            }
            case DenseBlock b:
                foreach (Sequence step in b.Steps)
                {
                    x = cat(new[] { x, Run(step, x, trace) }, 1);
                }
                return x;
            case PatchEmbedding p:
                return _modules[p.Path].call(x).flatten(2).transpose(1, 2);
            case ClassToken c:
                return cat(new[] { Parameter(c.Path).expand(x.shape[0], 1, -1), x }, 1);
            case PositionEmbedding e:
                return x + Parameter(e.Path);
            case TokenSelect t:
                return x.select(1, t.Index);
            default:
                return _modules[layer.Path].call(x);
        }
    }

    private Tensor Parameter(string path) => get_parameter(path) ?? throw new InvalidOperationException($"no parameter {path}");

    private void Create(Layer layer)
    {
        switch (layer)
        {
            case Conv2d c:
                Register(c.Path, nn.Conv2d(c.InChannels, c.OutChannels, c.KernelSize, stride: c.Stride, padding: c.Padding, groups: c.Groups, bias: c.Bias));
                break;
            case Linear l:
                Register(l.Path, nn.Linear(l.InFeatures, l.OutFeatures, hasBias: l.Bias));
                break;
            case Activation a:
                Register(a.Path, a.Function switch
                {
                    ActivationFunction.ReLU => nn.ReLU(),
                    ActivationFunction.LeakyReLU => nn.LeakyReLU(a.NegativeSlope),
                    ActivationFunction.GELU => nn.GELU(),
                    ActivationFunction.Tanh => nn.Tanh(),
                    _ => nn.Sigmoid(),
                });
                break;
            case MaxPool2d m:
                Register(m.Path, nn.MaxPool2d(m.KernelSize, m.Stride, m.Padding));
                break;
            case AvgPool2d a:
                Register(a.Path, nn.AvgPool2d(a.KernelSize, a.Stride, a.Padding));
                break;
            case AdaptiveAvgPool2d a:
                Register(a.Path, nn.AdaptiveAvgPool2d(new long[] { a.OutputHeight, a.OutputWidth }));
                break;
            case BatchNorm2d b:
                Register(b.Path, nn.BatchNorm2d(b.Channels, b.Eps));
                break;
            case LayerNorm n:
                Register(n.Path, nn.LayerNorm(n.Features, n.Eps));
                break;
            case Dropout d:
                Register(d.Path, nn.Dropout(d.Probability));
                break;
            case Flatten f:
                Register(f.Path, nn.Flatten());
                break;
            case Normalize n:
                Register(n.Path, new NormalizeModule(n.Mean.ToArray(), n.Std.ToArray()));
                break;
            case PatchEmbedding p:
                Register(p.Path, nn.Conv2d(p.InChannels, p.Dim, p.PatchSize, stride: p.PatchSize));
                break;
            case MultiHeadSelfAttention m:
                Register(m.Path, new TestAttention(m.Dim, m.Heads));
                break;
            case ClassToken c:
                RegisterParameter(c.Path, new Parameter(randn(1, 1, c.Dim) * 0.5));
                break;
            case PositionEmbedding e:
                RegisterParameter(e.Path, new Parameter(randn(1, e.Tokens, e.Dim) * 0.5));
                break;
            case TokenSelect:
                break;
            default:
                throw new NotSupportedException(layer.Kind);
        }
    }

    private void Register(string path, nn.Module<Tensor, Tensor> module)
    {
        _modules[path] = module;
        (nn.Module parent, string name) = ParentOf(path);
        parent.register_module(name, module);
    }

    private void RegisterParameter(string path, Parameter parameter)
    {
        (nn.Module parent, string name) = ParentOf(path);
        parent.register_parameter(name, parameter);
    }

    private (nn.Module Parent, string Name) ParentOf(string path)
    {
        string[] parts = path.Split('.');
        nn.Module parent = this;
        string prefix = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            prefix = prefix.Length == 0 ? parts[i] : prefix + "." + parts[i];
            if (!_containers.TryGetValue(prefix, out nn.Module? container))
            {
                container = new Container();
                parent.register_module(parts[i], container);
                _containers[prefix] = container;
            }
            parent = container;
        }
        return (parent, parts[^1]);
    }

    /// <summary>Random "trained" statistics and affine parameters; weights scaled so logits are not near-uniform.</summary>
    private void Randomise(long seed, double weightScale) => TrainedLike.Randomise(this, seed, weightScale);

    private sealed class Container : nn.Module
    {
        public Container() : base("Container") { }
    }

    private sealed class NormalizeModule : nn.Module<Tensor, Tensor>
    {
        private readonly double[] _mean;
        private readonly double[] _std;

        public NormalizeModule(double[] mean, double[] std) : base("Normalize")
        {
            _mean = mean;
            _std = std;
        }

        public override Tensor forward(Tensor x) =>
            (x - tensor(_mean, dtype: x.dtype).view(1, -1, 1, 1)) / tensor(_std, dtype: x.dtype).view(1, -1, 1, 1);
    }
}

/// <summary>Multi-head self-attention on (batch, tokens, dim) with PyTorch's packed parameter names, written out plainly.</summary>
public sealed class TestAttention : nn.Module<Tensor, Tensor>
{
    private readonly int _heads;
    private readonly TorchSharp.Modules.Linear out_proj;

    public TestAttention(int dim, int heads) : base("TestAttention")
    {
        _heads = heads;
        register_parameter("in_proj_weight", new Parameter(randn(3L * dim, dim) / Math.Sqrt(dim)));
        register_parameter("in_proj_bias", new Parameter(zeros(3L * dim)));
        out_proj = nn.Linear(dim, dim);
        register_module("out_proj", out_proj);
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], d = x.shape[2], dh = d / _heads;
        Tensor qkv = nn.functional.linear(x, get_parameter("in_proj_weight")!, get_parameter("in_proj_bias")!);
        Tensor[] parts = qkv.chunk(3, -1);
        Tensor Split(Tensor t) => t.reshape(b, n, _heads, dh).transpose(1, 2);
        Tensor weights = (Split(parts[0]).matmul(Split(parts[1]).transpose(-2, -1)) / Math.Sqrt(dh)).softmax(-1);
        return out_proj.call(weights.matmul(Split(parts[2])).transpose(1, 2).reshape(b, n, d));
    }
}

using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Core.Errors;
using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Every weight-determined quantity of a bound, computed once per layer from the real weights:
/// certified operator norms — of a map with the BatchNorm/LayerNorm scales of its <see cref="LinearFold"/>
/// folded in when the bound names the fold's composite (why that is sound: <see cref="LinearFolds"/>) —,
/// BatchNorm scales, LayerNorm gains and shifts, attention norms (with a preceding LayerNorm folded into
/// the projections) and exact pooling norms.
/// </summary>
public sealed class WeightQuantities
{
    private readonly ModelWeights _weights;
    private readonly LinearFolds _folds;
    private readonly Dictionary<string, OperatorNorm> _norms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AttentionNorms> _attention = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Layer> _layers = new(StringComparer.Ordinal);
    private readonly int _lanczosSteps;
    private readonly long _seed;

    public WeightQuantities(ArchitectureDescription description, ModelWeights weights, int lanczosSteps = 20, long seed = 0)
    {
        _weights = weights;
        _lanczosSteps = lanczosSteps;
        _seed = seed;
        foreach (Layer layer in description.PrimitiveLayers())
        {
            _layers.TryAdd(layer.Path, layer);
        }
        _folds = LinearFolds.Of(description.Network);
    }

    /// <summary>The layer (primitive, PatchEmbedding or attention) at a path.</summary>
    public Layer LayerAt(string path) => _layers.TryGetValue(path, out Layer? layer)
        ? layer
        : throw new InputException($"the architecture has no layer at path '{path}'; the bound and the description disagree.");

    /// <summary>True when this BatchNorm's scale is folded into a linear map (its β evaluates to 1).</summary>
    public bool IsFolded(string batchNormPath) => _folds.Of(batchNormPath) is { } fold && fold.Map.Path != batchNormPath;

    /// <summary>The fold a layer belongs to (as its map or as a folded scale), if any.</summary>
    public LinearFold? FoldOf(string path) => _folds.Of(path);

    /// <summary>The fold a composite symbol path names (<see cref="LinearFold.Composite"/>), if any.</summary>
    public LinearFold? FoldByComposite(string composite) => _folds.ByComposite(composite);

    /// <summary>σ of a Linear, Conv2d (BN-folded, at its input size) or PatchEmbedding.</summary>
    public OperatorNorm OperatorNorm(string path)
    {
        if (!_norms.TryGetValue(path, out OperatorNorm? norm))
        {
            norm = ComputeOperatorNorm(path);
            _norms[path] = norm;
        }
        return norm;
    }

    /// <summary>
    /// Computes the operator norms of <paramref name="paths"/> ahead of their use, side by side on
    /// <paramref name="workers"/> threads (<see cref="SingleThreadedWorkers"/>), the costliest first so that
    /// no large layer is left to run alone at the end. A norm that alone is at least a worker's share of the
    /// whole (vgg16's 4096 × 25088 classifier: two thirds) would hold one worker at one thread while the others
    /// finish: it is computed first, here, with libtorch's own threads on its few large operations.
    /// Each norm is the value <see cref="OperatorNorm"/> gives.
    /// </summary>
    public void PrepareOperatorNorms(IEnumerable<string> paths, int workers)
    {
        var pending = paths.Distinct(StringComparer.Ordinal).Where(p => !_norms.ContainsKey(p))
            .Select(p => (Path: p, Work: EstimatedWork(p))).OrderByDescending(p => p.Work).ToList();
        while (workers > 1 && pending.Count > 1 && pending[0].Work * workers >= pending.Sum(p => p.Work))
        {
            OperatorNorm(pending[0].Path);
            pending.RemoveAt(0);
        }
        OperatorNorm[] norms = SingleThreadedWorkers.Run(pending.Select(p => (Func<OperatorNorm>)(() => ComputeOperatorNorm(p.Path))).ToList(), workers);
        for (int i = 0; i < pending.Count; i++)
        {
            _norms[pending[i].Path] = norms[i];
        }
    }

    /// <summary>A rough count of the floating-point operations a norm takes, for ordering the work only.</summary>
    private double EstimatedWork(string path) => (_folds.ByComposite(path)?.Map ?? LayerAt(path)) switch
    {
        Conv2d conv => ConvolutionNorm.EstimatedWork(Geometry(conv)),
        Linear linear => MatrixNorm.EstimatedWork(linear.OutFeatures, linear.InFeatures),
        _ => 0,
    };

    /// <summary>The norm itself; reads the weights only, so norms of different layers may be computed side by side.</summary>
    private OperatorNorm ComputeOperatorNorm(string path)
    {
        using var scope = NewDisposeScope();
        LinearFold? fold = _folds.ByComposite(path);
        return (fold?.Map ?? LayerAt(path)) switch
        {
            Linear linear => MatrixNorm.Spectral(FoldedMatrix(linear, fold)),
            Conv2d conv => ConvolutionOperatorNorm(FoldedKernel(conv, fold), Geometry(conv)),
            // Non-overlapping patches: the operator is block diagonal with identical blocks (the kernel as a matrix).
            PatchEmbedding patch => MatrixNorm.Spectral(_weights.Get(patch.Path, "weight").reshape(patch.Dim, -1)),
            Layer other => throw new InputException($"layer '{path}' is a {other.Kind}, which has no operator norm."),
        };
    }

    /// <summary>
    /// The explicit matrix's exact norm where the convolution is small enough (<see cref="ExplicitConvolutionNorm"/>:
    /// tighter than the torus certificate on small feature maps), else the certified torus bound.
    /// </summary>
    private OperatorNorm ConvolutionOperatorNorm(Tensor kernel, ConvolutionGeometry geometry) =>
        ExplicitConvolutionNorm.TryCompute(kernel, geometry) ?? ConvolutionNorm.Certify(kernel, geometry, _lanczosSteps, _seed);

    /// <summary>The name of a map's σ symbol: its fold's composite when scales are folded into it, else its path.</summary>
    public string OperatorNormPath(Layer map) => _folds.Of(map.Path) is { } fold && ReferenceEquals(fold.Map, map) ? fold.Composite : map.Path;

    /// <summary>
    /// A Conv2d's kernel or a Linear's matrix in float64 with its fold's scales in it: the weight whose σ the map's
    /// symbol stands for. Its input columns (channels of a kernel) are what a concatenation's groups split.
    /// </summary>
    public Tensor FoldedWeight(Layer map)
    {
        LinearFold? fold = _folds.Of(map.Path) is { } f && ReferenceEquals(f.Map, map) ? f : null;
        return map switch
        {
            Conv2d conv => FoldedKernel(conv, fold),
            Linear linear => FoldedMatrix(linear, fold),
            _ => throw new InputException($"layer '{map.Path}' is a {map.Kind}, which has no weight matrix."),
        };
    }

    /// <summary>
    /// A certified upper bound on the operator norm of <paramref name="map"/> with <paramref name="weight"/> in place
    /// of its own (same shape). A 1×1 convolution without groups maps every output pixel from one input pixel
    /// (or from padding), each input pixel used at most once, so its operator is a selection ⊗ the kernel matrix
    /// and σ(kernel matrix) bounds it.
    /// </summary>
    public double UpperNorm(Layer map, Tensor weight) => map switch
    {
        Linear => MatrixNorm.Spectral(weight).Upper,
        Conv2d { KernelSize: 1, Groups: 1 } => MatrixNorm.Spectral(weight.reshape(weight.shape[0], weight.shape[1])).Upper,
        Conv2d conv => ConvolutionOperatorNorm(weight, Geometry(conv)).Upper,
        _ => throw new InputException($"layer '{map.Path}' is a {map.Kind}, which has no operator norm."),
    };

    /// <summary>β = max_c |γ_c|/√(var_c + ε), or 1 when the BatchNorm's scale is folded into a linear map.</summary>
    public double BatchNormScale(string path)
    {
        if (IsFolded(path))
        {
            return 1.0;
        }
        BatchNorm2d bn = LayerAt(path) as BatchNorm2d ?? throw new InputException($"layer '{path}' is not a BatchNorm2d.");
        using var scope = NewDisposeScope();
        return RoundingMargin.Up(BatchNormFactors(bn).abs().max().item<double>());
    }

    /// <summary>max_k |γ_k| of a LayerNorm.</summary>
    public double LayerNormGain(string path)
    {
        using var scope = NewDisposeScope();
        return _weights.Find(path, "weight") is { } gamma ? gamma.abs().max().item<double>() : 1.0;
    }

    /// <summary>‖β‖₂ of a LayerNorm's shift.</summary>
    public double LayerNormShiftNorm(string path)
    {
        using var scope = NewDisposeScope();
        return _weights.Find(path, "bias") is { } beta ? RoundingMargin.Up(beta.norm().item<double>()) : 0.0;
    }

    public AttentionNorms Attention(string path)
    {
        if (_attention.TryGetValue(path, out AttentionNorms? cached))
        {
            return cached;
        }
        LinearFold? fold = _folds.ByComposite(path);
        MultiHeadSelfAttention mha = (fold?.Map ?? LayerAt(path)) as MultiHeadSelfAttention
            ?? throw new InputException($"layer '{path}' is not a multi-head self-attention layer.");
        using var scope = NewDisposeScope();
        int d = mha.Dim;
        int dh = d / mha.Heads;
        (Tensor w, Tensor? b) = FoldedProjections(mha, fold?.Input as LayerNorm);
        var value = new double[mha.Heads];
        var queryKey = new double[mha.Heads];
        var queryBiasKey = new double[mha.Heads];
        for (int h = 0; h < mha.Heads; h++)
        {
            Tensor wq = w.narrow(0, h * dh, dh);
            Tensor wk = w.narrow(0, d + h * dh, dh);
            Tensor wv = w.narrow(0, 2 * d + h * dh, dh);
            value[h] = MatrixNorm.Spectral(wv).Upper;
            queryKey[h] = MatrixNorm.OfProduct(wq.t(), wk).Upper;
            queryBiasKey[h] = b is null ? 0.0 : RoundingMargin.Up(wk.t().matmul(b.narrow(0, h * dh, dh)).norm().item<double>());
        }
        double output = MatrixNorm.Spectral(_weights.Get(mha.Path + ".out_proj", "weight")).Upper;
        var norms = new AttentionNorms(mha.Heads, dh, value, queryKey, queryBiasKey, output);
        _attention[path] = norms;
        return norms;
    }

    /// <summary>s_c = γ_c/√(var_c + ε), the per-channel scale of an eval-mode BatchNorm.</summary>
    private Tensor BatchNormFactors(BatchNorm2d bn)
    {
        Tensor variance = _weights.Get(bn.Path, "running_var");
        Tensor gamma = _weights.Find(bn.Path, "weight") ?? ones_like(variance);
        return gamma / variance.Plus(bn.Eps).sqrt();
    }

    /// <summary>The kernel with the fold's output BatchNorm scaling its output channels and its input BatchNorm its input channels.</summary>
    private Tensor FoldedKernel(Conv2d conv, LinearFold? fold)
    {
        Tensor weight = _weights.Get(conv.Path, "weight").to(float64);
        if (fold?.Output is { } after)
        {
            weight = weight.mul(BatchNormFactors(after).to(float64).view(-1, 1, 1, 1));
        }
        if (fold?.Input is BatchNorm2d before)
        {
            weight = weight.mul(BatchNormFactors(before).to(float64).view(1, -1, 1, 1));
        }
        return weight;
    }

    /// <summary>
    /// The weight with the fold's input scale on its columns: a BatchNorm's per-channel scale repeated over
    /// the flattened spatial positions (channel-major, as Flatten orders them), or a LayerNorm's γ.
    /// </summary>
    private Tensor FoldedMatrix(Linear linear, LinearFold? fold)
    {
        Tensor weight = _weights.Get(linear.Path, "weight").to(float64);
        Tensor? columns = fold?.Input switch
        {
            BatchNorm2d bn => BatchNormFactors(bn).to(float64).repeat_interleave(linear.InFeatures / bn.Channels),
            LayerNorm ln => _weights.Find(ln.Path, "weight")?.to(float64),
            _ => null,
        };
        return columns is null ? weight : weight.mul(columns.view(1, -1));
    }

    /// <summary>
    /// The packed in_proj weight and bias, in float64; with a LayerNorm y = γ⊙ẑ + β folded in they become
    /// W·diag γ and b + W·β, the projections of the normalised tokens ẑ.
    /// </summary>
    private (Tensor Weight, Tensor? Bias) FoldedProjections(MultiHeadSelfAttention mha, LayerNorm? ln)
    {
        Tensor w = _weights.Get(mha.Path, "in_proj_weight").to(float64);
        Tensor? b = _weights.Find(mha.Path, "in_proj_bias")?.to(float64);
        if (ln is null)
        {
            return (w, b);
        }
        if (_weights.Find(ln.Path, "bias") is { } shift)
        {
            Tensor moved = w.matmul(shift.to(float64));
            b = b is null ? moved : b.Plus(moved);
        }
        if (_weights.Find(ln.Path, "weight") is { } gamma)
        {
            w = w.mul(gamma.to(float64).view(1, -1));
        }
        return (w, b);
    }

    private static ConvolutionGeometry Geometry(Conv2d conv) => new(
        conv.InChannels, conv.OutChannels, conv.KernelSize, conv.KernelSize, conv.Stride, conv.Padding, conv.Groups,
        conv.Input[1], conv.Input[2]);
}

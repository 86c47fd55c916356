using FimBounds.Core.Architecture;
using FimBounds.Core.Errors;
using FimBounds.Engine.Norms;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// Every weight-determined quantity of a bound, computed once per layer from the real weights:
/// certified operator norms (a BatchNorm that directly follows a convolution is folded into it — the
/// pair is the affine map x ↦ diag(s)Wx + …, whose norm σ(diag(s)W) ≤ σ(W)·max|s|, so evaluating σ :=
/// σ(folded) and β := 1 is tighter and still sound), BatchNorm scales, LayerNorm gains and shifts,
/// attention norms and exact pooling norms.
/// </summary>
public sealed class WeightQuantities
{
    private readonly ModelWeights _weights;
    private readonly Dictionary<string, BatchNorm2d> _foldedInto = new(StringComparer.Ordinal);   // conv path → BN
    private readonly HashSet<string> _foldedBatchNorms = new(StringComparer.Ordinal);
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
        foreach (Sequence sequence in description.AllLayers().OfType<Sequence>())
        {
            for (int i = 0; i + 1 < sequence.Layers.Count; i++)
            {
                if (sequence.Layers[i] is Conv2d conv && sequence.Layers[i + 1] is BatchNorm2d bn && bn.Channels == conv.OutChannels)
                {
                    _foldedInto[conv.Path] = bn;
                    _foldedBatchNorms.Add(bn.Path);
                }
            }
        }
    }

    /// <summary>The layer (primitive, PatchEmbedding or attention) at a path.</summary>
    public Layer LayerAt(string path) => _layers.TryGetValue(path, out Layer? layer)
        ? layer
        : throw new InputException($"the architecture has no layer at path '{path}'; the bound and the description disagree.");

    /// <summary>True when this BatchNorm is folded into the convolution before it (its β evaluates to 1).</summary>
    public bool IsFolded(string batchNormPath) => _foldedBatchNorms.Contains(batchNormPath);

    /// <summary>The convolution a folded BatchNorm was folded into, if any.</summary>
    public string? FoldedInto(string batchNormPath) => _foldedInto.FirstOrDefault(p => p.Value.Path == batchNormPath).Key;

    /// <summary>The BatchNorm folded into the convolution at this path, if any.</summary>
    public string? FoldedBatchNorm(string convPath) => _foldedInto.TryGetValue(convPath, out BatchNorm2d? bn) ? bn.Path : null;

    /// <summary>σ of a Linear, Conv2d (BN-folded, at its input size) or PatchEmbedding.</summary>
    public OperatorNorm OperatorNorm(string path)
    {
        if (_norms.TryGetValue(path, out OperatorNorm? cached))
        {
            return cached;
        }
        using var scope = NewDisposeScope();
        OperatorNorm norm = LayerAt(path) switch
        {
            Linear linear => MatrixNorm.Spectral(_weights.Get(linear.Path, "weight")),
            Conv2d conv => ConvolutionNorm.Certify(FoldedKernel(conv), Geometry(conv), _lanczosSteps, _seed),
            // Non-overlapping patches: the operator is block diagonal with identical blocks (the kernel as a matrix).
            PatchEmbedding patch => MatrixNorm.Spectral(_weights.Get(patch.Path, "weight").reshape(patch.Dim, -1)),
            Layer other => throw new InputException($"layer '{path}' is a {other.Kind}, which has no operator norm."),
        };
        _norms[path] = norm;
        return norm;
    }

    /// <summary>β = max_c |γ_c|/√(var_c + ε), or 1 when the BatchNorm is folded into the convolution before it.</summary>
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

    public double LayerNormEps(string path) => LayerAt(path) is LayerNorm ln ? ln.Eps : throw new InputException($"layer '{path}' is not a LayerNorm.");

    public AttentionNorms Attention(string path)
    {
        if (_attention.TryGetValue(path, out AttentionNorms? cached))
        {
            return cached;
        }
        MultiHeadSelfAttention mha = LayerAt(path) as MultiHeadSelfAttention
            ?? throw new InputException($"layer '{path}' is not a multi-head self-attention layer.");
        using var scope = NewDisposeScope();
        int d = mha.Dim;
        int dh = d / mha.Heads;
        Tensor w = _weights.Get(path, "in_proj_weight");
        Tensor? b = _weights.Find(path, "in_proj_bias");
        var value = new double[mha.Heads];
        var queryKey = new double[mha.Heads];
        var queryBiasKey = new double[mha.Heads];
        for (int h = 0; h < mha.Heads; h++)
        {
            Tensor wq = w.narrow(0, h * dh, dh);
            Tensor wk = w.narrow(0, d + h * dh, dh);
            Tensor wv = w.narrow(0, 2 * d + h * dh, dh);
            value[h] = MatrixNorm.Spectral(wv).Upper;
            queryKey[h] = MatrixNorm.Spectral(wq.t().matmul(wk)).Upper;
            queryBiasKey[h] = b is null ? 0.0 : RoundingMargin.Up(wk.t().matmul(b.narrow(0, h * dh, dh)).norm().item<double>());
        }
        double output = MatrixNorm.Spectral(_weights.Get(path + ".out_proj", "weight")).Upper;
        var norms = new AttentionNorms(mha.Heads, dh, value, queryKey, queryBiasKey, output);
        _attention[path] = norms;
        return norms;
    }

    /// <summary>The exact norm of an average pool (per axis, from its 0/1-window matrix; count_include_pad-proof).</summary>
    public static double AveragePoolNorm(Layer pool) => pool switch
    {
        AvgPool2d p => WindowAverageNorm(p.Input[1], p.Output[1], i => (i * p.Stride - p.Padding, i * p.Stride - p.Padding + p.KernelSize))
            * WindowAverageNorm(p.Input[2], p.Output[2], i => (i * p.Stride - p.Padding, i * p.Stride - p.Padding + p.KernelSize)),
        AdaptiveAvgPool2d p => WindowAverageNorm(p.Input[1], p.OutputHeight, i => (i * p.Input[1] / p.OutputHeight, CeilDiv((i + 1) * p.Input[1], p.OutputHeight)))
            * WindowAverageNorm(p.Input[2], p.OutputWidth, i => (i * p.Input[2] / p.OutputWidth, CeilDiv((i + 1) * p.Input[2], p.OutputWidth))),
        _ => throw new ArgumentException($"not an average pool: {pool.Kind}"),
    };

    /// <summary>Max pooling: every input lies in at most ⌈k/s⌉² windows and each output copies one input.</summary>
    public static double MaxPoolFactor(MaxPool2d pool) => CeilDiv(pool.KernelSize, pool.Stride);

    /// <summary>
    /// σ of the 1-D averaging matrix A[u, j] = 1/|window u ∩ [0, n)| for j in the window. Dividing by the
    /// clipped window size gives entries at least as large as PyTorch's count_include_pad divisor, and
    /// for non-negative matrices the spectral norm grows with the entries, so this is sound for both.
    /// </summary>
    private static double WindowAverageNorm(int n, int outputs, Func<int, (int Start, int End)> window)
    {
        using var scope = NewDisposeScope();
        Tensor a = zeros(new long[] { outputs, n }, dtype: float64);
        for (int u = 0; u < outputs; u++)
        {
            (int start, int end) = window(u);
            start = Math.Max(0, start);
            end = Math.Min(n, end);
            if (end > start)
            {
                a[u, TensorIndex.Slice(start, end)] = tensor(1.0 / (end - start), dtype: float64);
            }
        }
        return MatrixNorm.Spectral(a).Upper;
    }

    /// <summary>s_c = γ_c/√(var_c + ε), the per-channel scale of an eval-mode BatchNorm.</summary>
    private Tensor BatchNormFactors(BatchNorm2d bn)
    {
        Tensor variance = _weights.Get(bn.Path, "running_var");
        Tensor gamma = _weights.Find(bn.Path, "weight") ?? ones_like(variance);
        return gamma / variance.Plus(bn.Eps).sqrt();
    }

    private Tensor FoldedKernel(Conv2d conv)
    {
        Tensor weight = _weights.Get(conv.Path, "weight");
        return _foldedInto.TryGetValue(conv.Path, out BatchNorm2d? bn)
            ? weight * BatchNormFactors(bn).view(-1, 1, 1, 1)
            : weight;
    }

    private static ConvolutionGeometry Geometry(Conv2d conv) => new(
        conv.InChannels, conv.OutChannels, conv.KernelSize, conv.KernelSize, conv.Stride, conv.Padding, conv.Groups,
        conv.Input[1], conv.Input[2]);

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}

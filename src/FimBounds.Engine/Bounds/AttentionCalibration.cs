using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// The maxima over calibration inputs that the attention rule's ratios need (<see cref="Core.Bounds.AttentionRule"/>),
/// for one self-attention layer: ‖X‖₂ of each input's token matrix, and per head ‖P_h‖₂ and
/// m_h = maxᵢ‖A(pᵢ)·X W_V,hᵀ‖₂ with A(p) = diag p − ppᵀ. X is the token matrix the rule sees: the layer's
/// input, or, when a LayerNorm's γ and β are folded into the projections, the normalised tokens ẑ
/// (<see cref="ObserveNormalised"/>). P and m do not depend on the fold: the fold changes neither the scores
/// nor A(p)·V, since V moves by a constant row (W_V·β) that A(p)1 = 0 removes.
/// </summary>
public sealed class AttentionCalibration
{
    private readonly int _heads;
    private readonly bool _folded;

    public AttentionCalibration(int heads, bool folded)
    {
        _heads = heads;
        _folded = folded;
        MatrixNorm = new double[heads];
        ValueSpread = new double[heads];
    }

    /// <summary>How many batches the attention layer itself was seen on (0: its maxima mean nothing).</summary>
    public int Batches { get; private set; }

    /// <summary>max over inputs of ‖X‖₂ (the spectral norm of the n×D token matrix the rule sees).</summary>
    public double TokenMatrixNorm { get; private set; }

    /// <summary>Per head, max over inputs of ‖P_h‖₂.</summary>
    public double[] MatrixNorm { get; }

    /// <summary>Per head, max over inputs and query rows i of ‖A(pᵢ)·X W_V,hᵀ‖₂.</summary>
    public double[] ValueSpread { get; }

    /// <summary>The LayerNorm feeding a folded attention saw <paramref name="input"/> (batch, tokens, D): its normalised tokens are the rule's X.</summary>
    public void ObserveNormalised(Tensor input, double eps)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.detach().to(float64);
        Tensor centred = x.Minus(x.mean(new long[] { -1 }, keepdim: true));
        Tensor variance = centred.mul(centred).mean(new long[] { -1 }, keepdim: true);   // biased, as LayerNorm computes it
        Tensor normalised = centred.div(variance.Plus(eps).sqrt());
        TokenMatrixNorm = Math.Max(TokenMatrixNorm, LargestSpectralNorm(normalised));
    }

    /// <summary>The attention layer saw <paramref name="input"/> (batch, tokens, D) with packed in_proj weight [3D, D] and bias [3D].</summary>
    public void ObserveInput(Tensor input, Tensor inProjWeight, Tensor? inProjBias)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.detach().to(float64);
        long batch = x.shape[0], tokens = x.shape[1], dim = x.shape[2], headDim = dim / _heads;
        if (!_folded)
        {
            TokenMatrixNorm = Math.Max(TokenMatrixNorm, LargestSpectralNorm(x));
        }
        Tensor qkv = inProjBias is null
            ? x.matmul(inProjWeight.detach().to(float64).t())
            : nn.functional.linear(x, inProjWeight.detach().to(float64), inProjBias.detach().to(float64));
        Tensor[] parts = qkv.chunk(3, -1);
        Tensor q = Heads(parts[0], batch, tokens, headDim);
        Tensor k = Heads(parts[1], batch, tokens, headDim);
        Tensor v = Heads(parts[2], batch, tokens, headDim);
        Tensor p = q.matmul(k.transpose(-2, -1)).DividedBy(Math.Sqrt(headDim)).softmax(-1);   // (batch, heads, n, n)
        Tensor matrixNorms = linalg.svdvals(p).amax(new long[] { 0, 2 });
        // A(pᵢ)V = diag(pᵢ)V − pᵢ(pᵢᵀV): one n×d_k matrix per query row i, (batch, heads, n, n, d_k).
        Tensor weighted = p.unsqueeze(-1).mul(v.unsqueeze(2));
        Tensor mean = p.unsqueeze(-1).mul(p.matmul(v).unsqueeze(-2));
        Tensor spreads = linalg.svdvals(weighted.Minus(mean)).amax(new long[] { 0, 2, 3 });
        Batches++;
        for (int h = 0; h < _heads; h++)
        {
            MatrixNorm[h] = Math.Max(MatrixNorm[h], matrixNorms[h].item<double>());
            ValueSpread[h] = Math.Max(ValueSpread[h], spreads[h].item<double>());
        }
    }

    private Tensor Heads(Tensor t, long batch, long tokens, long headDim) => t.reshape(batch, tokens, _heads, headDim).transpose(1, 2);

    private static double LargestSpectralNorm(Tensor tokens) => linalg.svdvals(tokens).max().item<double>();
}

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
        Batches++;
        for (int h = 0; h < _heads; h++)
        {
            MatrixNorm[h] = Math.Max(MatrixNorm[h], matrixNorms[h].item<double>());
        }
        // One input at a time: the per-row Grams are (heads, n, d_k, d_k), 77 MB for ViT-B/16 in float64.
        for (long i = 0; i < batch; i++)
        {
            using var inputScope = NewDisposeScope();
            Tensor grams = RowGrams(p[i], v[i]);
            for (int h = 0; h < _heads; h++)
            {
                ValueSpread[h] = Math.Max(ValueSpread[h], Math.Sqrt(LargestTopEigenvalue.Of(grams[h])));
            }
        }
    }

    /// <summary>
    /// For one input (<paramref name="p"/>: heads × n × n, <paramref name="v"/>: heads × n × d_k), the Gram of
    /// A(pᵢ)·V for every head and query row i, (heads, n, d_k, d_k). A(pᵢ)V = diag(pᵢ)(V − 1wᵢᵀ) with wᵢ = Vᵀpᵢ, so
    /// its Gram is Σⱼ pᵢⱼ²(vⱼ − wᵢ)(vⱼ − wᵢ)ᵀ = Vᵀdiag(pᵢ)²V − uᵢwᵢᵀ − wᵢuᵢᵀ + ‖pᵢ‖²wᵢwᵢᵀ with uᵢ = Vᵀ(pᵢ∘pᵢ): all n
    /// Grams of a head come from one (n × n)·(n × d_k²) product, where an SVD of every n × d_k matrix A(pᵢ)V took
    /// 30 CPU-s on ViT-B/16. V is centred first — exact, since A(p)1 = 0 — so that a direction all tokens share
    /// (large in trained transformers) does not cancel in the difference of the Gram's terms.
    /// </summary>
    private static Tensor RowGrams(Tensor p, Tensor v)
    {
        long headDim = v.shape[^1];
        Tensor centred = v.Minus(v.mean(new long[] { -2 }, keepdim: true));
        Tensor squared = p.mul(p);
        Tensor outer = centred.unsqueeze(-1).mul(centred.unsqueeze(-2)).flatten(-2);           // (heads, n, d_k²)
        Tensor gram = squared.matmul(outer).reshape(p.shape[0], p.shape[1], headDim, headDim); // Σⱼ pᵢⱼ² vⱼvⱼᵀ
        // The rest, −uwᵀ − wuᵀ + ‖p‖²wwᵀ, is −(awᵀ + waᵀ) with a = u − ½‖p‖²w: one product of rank two.
        Tensor w = p.matmul(centred).unsqueeze(-1);                                            // (heads, n, d_k, 1)
        Tensor rowSquares = squared.sum(new long[] { -1 }, keepdim: true).unsqueeze(-1);       // ‖pᵢ‖², (heads, n, 1, 1)
        Tensor a = squared.matmul(centred).unsqueeze(-1).Minus(rowSquares.mul(w).Times(0.5));
        Tensor correction = cat(new[] { a, w }, -1).matmul(cat(new[] { w, a }, -1).transpose(-2, -1));
        return gram.Minus(correction);
    }

    private Tensor Heads(Tensor t, long batch, long tokens, long headDim) => t.reshape(batch, tokens, _heads, headDim).transpose(1, 2);

    private static double LargestSpectralNorm(Tensor tokens) => linalg.svdvals(tokens).max().item<double>();
}

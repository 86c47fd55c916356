using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// The Gram of a stride-1 multichannel convolution's frequency blocks, kept as taps. With kernel taps
/// X_a (r × c, a ∈ [0, qh) × [0, qw)) the block at frequency ω is D(ω) = Σ_a X_a e^{−iω·a} and
/// D(ω)D(ω)* = Σ_τ H_τ e^{−iω·τ} with H_τ = Σ_{a − a' = τ} X_a X_{a'}ᵀ (H_{−τ} = H_τᵀ). The taps cost
/// (#tap pairs)·r²·c once, after which any frequency's r × r block costs (#offsets)·r² — far less than
/// forming D(ω)D(ω)* frequency by frequency (r²·c each), which made large layers take minutes.
/// <para>Only one offset τ of each pair {τ, −τ} is kept, as S_τ = H_τ + H_τᵀ and A_τ = H_τ − H_τᵀ:
/// H_τ e^{−iω·τ} + H_τᵀ e^{iω·τ} = S_τ cos(ω·τ) − i A_τ sin(ω·τ), so
/// D(ω)D(ω)* = H_0 + Σ_τ S_τ cos(ω·τ) − i Σ_τ A_τ sin(ω·τ): the real part is a product with 1 + h taps and the
/// imaginary part one with h, where the full set of taps took two products with all 2h + 1 — half the memory
/// traffic of forming a block, which is what forming costs (a handful of multiply-adds per entry read).</para>
/// </summary>
internal sealed class BlockSymbolGram : IDisposable
{
    private readonly Tensor _cosineTaps;   // [1 + h, r·r] float64: H_0, then S_τ for the h kept offsets, row by row
    private readonly Tensor _sineTaps;     // [h, r·r] float64: A_τ for the same offsets
    private readonly Tensor _offsets;      // [2, h] float64: (τ_h, τ_w) per kept offset
    private readonly Tensor _cosineInner;  // [1 + h, 1 + h] float64: the cosine taps' inner products ⟨C_k, C_l⟩
    private readonly Tensor _sineInner;    // [h, h] float64: the sine taps' ⟨A_k, A_l⟩
    private Tensor? _cosineTapsSingle;     // float32 copies, made on the first single-precision use
    private Tensor? _sineTapsSingle;
    private double _singleError;           // the spectral-norm bound on what forming a block in float32 moves it

    /// <param name="taps">[qh, qw, r, c] float64: the kernel taps X_a with the side of fewer rows first.</param>
    public BlockSymbolGram(Tensor taps)
    {
        using var scope = NewDisposeScope();
        long qh = taps.shape[0], qw = taps.shape[1];
        Rows = taps.shape[2];
        var symmetric = new List<Tensor> { OffsetGram(taps, 0, 0) };
        var antisymmetric = new List<Tensor>();
        var offsets = new List<double>();
        for (long dh = 0; dh < qh; dh++)
        {
            for (long dw = 1 - qw; dw < qw; dw++)
            {
                if (dh == 0 && dw <= 0)
                {
                    continue;   // τ = 0 is H_0 itself; (0, dw < 0) is the mirror of (0, −dw), kept
                }
                Tensor h = OffsetGram(taps, dh, dw);
                Tensor transposed = h.t();
                symmetric.Add(h.Plus(transposed));
                antisymmetric.Add(h.Minus(transposed));
                offsets.Add(dh);
                offsets.Add(dw);
            }
        }
        Tensor cosine = stack(symmetric);
        _cosineTaps = cosine.view(cosine.shape[0], -1).DetachFromDisposeScope();
        _sineTaps = antisymmetric.Count == 0
            ? zeros(new long[] { 0, Rows * Rows }, dtype: float64).DetachFromDisposeScope()
            : stack(antisymmetric).view(antisymmetric.Count, -1).DetachFromDisposeScope();
        _cosineInner = _cosineTaps.matmul(_cosineTaps.t()).DetachFromDisposeScope();
        _sineInner = _sineTaps.matmul(_sineTaps.t()).DetachFromDisposeScope();
        _offsets = (offsets.Count == 0 ? zeros(new long[] { 2, 0 }, dtype: float64) : tensor(offsets.ToArray(), dtype: float64).view(-1, 2).t().contiguous())
            .DetachFromDisposeScope();
    }

    /// <summary>r: the size of every block.</summary>
    public long Rows { get; }

    /// <summary>
    /// −D(ω)D(ω)* at each frequency, [F, r, r] complex128 Hermitian, for angles [F, 2] (radians per tap): negated
    /// because a Cholesky test of level·I − D D* then only adds to the diagonal. The taps are real, so the real and
    /// imaginary parts are two real products, −H_0 − Σ_τ S_τ cos(ω·τ) and Σ_τ A_τ sin(ω·τ). The coefficients are
    /// negated before the products, so every entry is exactly the negative of D D*'s as rounded (negation commutes
    /// with rounding), at no extra pass over the blocks.
    /// </summary>
    public Tensor NegatedBlocksAt(Tensor angles)
    {
        using var scope = NewDisposeScope();
        Tensor phase = angles.matmul(_offsets);                                              // [F, h]: ω·τ
        Tensor cosine = cat(new[] { Filled(phase.shape[0], -1.0), phase.cos().neg() }, 1);  // [F, 1 + h]
        Tensor real = cosine.matmul(_cosineTaps);
        Tensor imaginary = phase.sin().matmul(_sineTaps);
        return complex(real, imaginary).view(-1, Rows, Rows).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// −D(ω)D(ω)* formed in single precision, [F, r, r] complex64, and a bound on its distance to the blocks of the
    /// double-precision taps in the spectral norm. Every entry's real and imaginary parts are sums of K = 1 + h products
    /// c_k·T_k,ij with |c_k| ≤ 1 (cosines and sines computed in float64, then rounded), so rounding the coefficients, the
    /// taps and the K-term float32 sums moves an entry by at most (K + 3)·u·Σ_k (|C_k,ij| + |A_k,ij|) (u = 2⁻²⁴, γ_K
    /// for the sums, 2u for the two roundings, 2⁻⁵² for the cosine itself), and ‖δ‖₂ ≤ ‖δ‖_F ≤ r·max_ij |δ_ij|. Half the
    /// memory traffic of the complex128 blocks, and no conversion pass, for <see cref="SinglePrecisionScreen"/>.
    /// </summary>
    public (Tensor Blocks, double Error) NegatedSingleBlocksAt(Tensor angles)
    {
        if (_cosineTapsSingle is null || _sineTapsSingle is null)
        {
            using var setup = NewDisposeScope();
            double terms = _cosineTaps.shape[0];
            double largest = _cosineTaps.abs().sum(dim: 0).Plus(_sineTaps.abs().sum(dim: 0)).max().item<double>();
            _singleError = Rows * (terms + 3) * Math.Pow(2, -24) * largest * (1 + 1e-9);
            _cosineTapsSingle = _cosineTaps.to(float32).DetachFromDisposeScope();
            _sineTapsSingle = _sineTaps.to(float32).DetachFromDisposeScope();
        }
        using var scope = NewDisposeScope();
        Tensor phase = angles.matmul(_offsets);
        Tensor cosine = cat(new[] { Filled(phase.shape[0], -1.0), phase.cos().neg() }, 1).to(float32);
        Tensor real = cosine.matmul(_cosineTapsSingle);
        Tensor imaginary = phase.sin().to(float32).matmul(_sineTapsSingle);
        return (complex(real, imaginary).view(-1, Rows, Rows).MoveToOuterDisposeScope(), _singleError);
    }

    /// <summary>
    /// ‖D(ω)D(ω)*‖_F² = Σ λᵢ² at each frequency, [F] float64, without forming the blocks: the real part Σ_k c_k C_k is
    /// symmetric and the imaginary part Σ_k s_k A_k antisymmetric, so the square is cᵀ⟨C, C⟩c + sᵀ⟨A, A⟩s with the taps'
    /// inner products computed once. It weighs a block's top more than the trace (Σ λᵢ) does, so it ranks the frequencies
    /// whose top is largest better (resnet18, random weights: 238 blocks left for a second pass instead of 1,152).
    /// </summary>
    public Tensor SquaredFrobeniusAt(Tensor angles)
    {
        using var scope = NewDisposeScope();
        Tensor phase = angles.matmul(_offsets);                                              // [F, h]
        Tensor cosine = cat(new[] { Filled(phase.shape[0], 1.0), phase.cos() }, 1);          // [F, 1 + h]
        Tensor sine = phase.sin();
        return cosine.matmul(_cosineInner).mul(cosine).sum(1).Plus(sine.matmul(_sineInner).mul(sine).sum(1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _cosineInner.Dispose();
        _sineInner.Dispose();
        _cosineTapsSingle?.Dispose();
        _sineTapsSingle?.Dispose();
        _cosineTaps.Dispose();
        _sineTaps.Dispose();
        _offsets.Dispose();
    }

    /// <summary>A [count, 1] float64 column of one value.</summary>
    private static Tensor Filled(long count, double value) => TensorMath.Filled(new long[] { count, 1 }, value, float64);

    /// <summary>H_τ = Σ_{a − a' = τ} X_a X_{a'}ᵀ for τ = (dh, dw), as one matrix product over the overlapping taps.</summary>
    private static Tensor OffsetGram(Tensor taps, long dh, long dw)
    {
        long qh = taps.shape[0], qw = taps.shape[1], r = taps.shape[2];
        long wStart = Math.Max(0, -dw), wCount = qw - Math.Abs(dw);
        Tensor later = taps.narrow(0, dh, qh - dh).narrow(1, wStart + dw, wCount);       // X_a with a = a' + τ
        Tensor earlier = taps.narrow(0, 0, qh - dh).narrow(1, wStart, wCount);           // X_{a'}
        Tensor left = later.permute(2, 0, 1, 3).reshape(r, -1);
        Tensor right = earlier.permute(2, 0, 1, 3).reshape(r, -1);
        return left.matmul(right.t());
    }
}

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
/// </summary>
internal sealed class BlockSymbolGram : IDisposable
{
    private readonly Tensor _taps;       // [n, r·r] float64: H_τ for every offset τ (both signs), row by row
    private readonly Tensor _offsets;    // [2, n] float64: (τ_h, τ_w) per tap
    private readonly Tensor _traces;     // [n, 1] float64: tr H_τ

    /// <param name="taps">[qh, qw, r, c] float64: the kernel taps X_a with the side of fewer rows first.</param>
    public BlockSymbolGram(Tensor taps)
    {
        using var scope = NewDisposeScope();
        long qh = taps.shape[0], qw = taps.shape[1];
        Rows = taps.shape[2];
        var grams = new List<Tensor>();
        var offsets = new List<double>();
        for (long dh = 0; dh < qh; dh++)
        {
            for (long dw = 1 - qw; dw < qw; dw++)
            {
                if (dh == 0 && dw < 0)
                {
                    continue;   // the transpose of the tap at (0, −dw), added below
                }
                Tensor h = OffsetGram(taps, dh, dw);
                grams.Add(h);
                offsets.Add(dh);
                offsets.Add(dw);
                if (dh != 0 || dw != 0)
                {
                    grams.Add(h.t());
                    offsets.Add(-dh);
                    offsets.Add(-dw);
                }
            }
        }
        Tensor stacked = stack(grams);
        _traces = stacked.diagonal(0, 1, 2).sum(1, keepdim: true).DetachFromDisposeScope();
        _taps = stacked.view(stacked.shape[0], -1).DetachFromDisposeScope();
        _offsets = tensor(offsets.ToArray(), dtype: float64).view(-1, 2).t().contiguous().DetachFromDisposeScope();
    }

    /// <summary>r: the size of every block.</summary>
    public long Rows { get; }

    /// <summary>
    /// −D(ω)D(ω)* at each frequency, [F, r, r] complex128 Hermitian, for angles [F, 2] (radians per tap): negated
    /// because a Cholesky test of level·I − D D* then only adds to the diagonal. The taps are real, so the real and
    /// imaginary parts are two real products, −Σ_τ H_τ cos(ω·τ) and Σ_τ H_τ sin(ω·τ): half the arithmetic of a complex
    /// product with zero imaginary taps. The phases are negated before the products, so every entry is exactly the
    /// negative of D D*'s as rounded (negation commutes with rounding), at no extra pass over the blocks.
    /// </summary>
    public Tensor NegatedBlocksAt(Tensor angles)
    {
        using var scope = NewDisposeScope();
        Tensor phase = Phases(angles);
        return complex(phase.cos().neg().matmul(_taps), phase.sin().neg().matmul(_taps)).view(-1, Rows, Rows).MoveToOuterDisposeScope();
    }

    /// <summary>tr D(ω)D(ω)* = ‖D(ω)‖_F² at each frequency, [F] float64, without forming the blocks.</summary>
    public Tensor TracesAt(Tensor angles)
    {
        using var scope = NewDisposeScope();
        return Phases(angles).cos().matmul(_traces).view(-1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _traces.Dispose();
        _taps.Dispose();
        _offsets.Dispose();
    }

    /// <summary>−ω·τ for every frequency and tap, [F, n] float64: the phase of e^{−iω·τ}.</summary>
    private Tensor Phases(Tensor angles) => angles.matmul(_offsets).neg();

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

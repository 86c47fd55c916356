using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// A start vector for the attained-norm Lanczos that is already close to the top singular vector of the
/// zero-padded convolution: the circular convolution's top singular vector — a plane wave at the torus
/// frequency ω* of largest block norm, carrying the top right singular vector v of that block — cut to
/// the image under a sine window (the top eigenvector of the path graph, so the cut costs little at the
/// border). With the polyphase kernel K̂_q (C_out × s²C_in, stride-1 taps q) the circular convolution maps
/// x̂_c(m) = v_c e^{iω·m} to e^{iω·p} M(ω)v with M(ω) = Σ_q K̂_q e^{iω·q}; σ_max(M(ω)) is the block's top
/// singular value whatever sign convention the block Grams use (they are M or its conjugate, transposed
/// or not). Only a start: the value reported is ‖A x‖/‖x‖ after Lanczos, whatever x is.
/// </summary>
internal static class PlaneWaveStart
{
    private const int PowerSteps = 40;

    /// <summary>[1, C_in, H, W] float64, unit norm, for the polyphase kernel [C_out, s²C_in, qh, qw] and ω* in radians per tap.</summary>
    public static Tensor Image(Tensor polyphaseKernel, ConvolutionGeometry g, double angleHeight, double angleWidth)
    {
        using var scope = NewDisposeScope();
        long o = polyphaseKernel.shape[0], c = polyphaseKernel.shape[1], qh = polyphaseKernel.shape[2], qw = polyphaseKernel.shape[3];
        int s = g.Stride;
        Tensor symbol = polyphaseKernel.to(complex128).reshape(o * c, qh * qw).matmul(Wave(angleHeight, qh).outer(Wave(angleWidth, qw)).reshape(-1)).view(o, c);
        Tensor v = TopRightSingularVector(symbol);
        // Polyphase cell m = (h + p) div s, phase r = (h + p) mod s: the image pixel (h, w) is x̂ at channel (i, r_h, r_w), cell (m_h, m_w).
        long mh = (g.InputHeight - 1 + g.Padding) / s + 1, mw = (g.InputWidth - 1 + g.Padding) / s + 1;
        Tensor wave = v.view(c, 1, 1).mul(Wave(angleHeight, mh).outer(Wave(angleWidth, mw)).unsqueeze(0)).real;     // [c, mh, mw]
        Tensor image = wave.reshape(g.InChannels, s, s, mh, mw).permute(0, 3, 1, 4, 2).reshape(g.InChannels, mh * s, mw * s)
            .narrow(1, g.Padding, g.InputHeight).narrow(2, g.Padding, g.InputWidth);
        Tensor windowed = image.mul(Window(g.InputHeight).outer(Window(g.InputWidth)).unsqueeze(0)).unsqueeze(0);
        return windowed.div(windowed.norm()).MoveToOuterDisposeScope();
    }

    /// <summary>e^{iθm} for m = 0 … count − 1.</summary>
    private static Tensor Wave(double angle, long count)
    {
        using var scope = NewDisposeScope();
        Tensor phase = Indices(count).Times(angle);
        return complex(phase.cos(), phase.sin()).MoveToOuterDisposeScope();
    }

    /// <summary>sin(π(h + 1)/(n + 1)) for h = 0 … n − 1.</summary>
    private static Tensor Window(long n)
    {
        using var scope = NewDisposeScope();
        return Indices(n).Plus(1.0).Times(Math.PI / (n + 1)).sin().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The unit top right singular vector of M by power steps on M*M from a fixed start, its phase turned so
    /// its largest entry is real and positive (for a real M at ω* ≡ −ω* the vector is then real, and its real
    /// part — the plane wave's — cannot vanish).
    /// </summary>
    private static Tensor TopRightSingularVector(Tensor m)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(41);
        Tensor v = randn(new[] { m.shape[1] }, dtype: float64, generator: generator).to(complex128);
        Tensor adjoint = m.conj().t();
        for (int i = 0; i < PowerSteps; i++)
        {
            v = adjoint.matmul(m.matmul(v));
            v = v.div(v.abs().norm());
        }
        Tensor largest = v.index_select(0, v.abs().argmax().view(1));
        return v.mul(largest.conj().div(largest.abs())).MoveToOuterDisposeScope();
    }

    private static Tensor Indices(long count)
    {
        using var stop = count.ToScalar();
        return arange(Scalars.Zero, stop, Scalars.One, dtype: float64);
    }
}

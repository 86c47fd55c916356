using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// A cheaper first Cholesky test for the torus certificate: each block G = D D* is shifted to a level ℓ a
/// little below the target μ, rounded to complex64 and factorised in single precision (about half the time of
/// complex128). Where the factorisation completes and everything single precision can have rounded still keeps
/// λ_max(G) ≤ μ, the block is certified — the statement the complex128 test at μ makes, so the certified value
/// does not change; the other blocks are left to that test. The room single precision needs is about
/// 4n²u·(1 − mean eigenvalue/μ) of μ: 0.07 % at 64 rows, 1.2 % at 256, where 99 % of resnet18's blocks lie
/// further below the maximum. Blocks of more than 256 rows are not screened (<see cref="MarginLimit"/>). Where it
/// certifies less than half of a chunk the screen stops for the rest of the pass.
/// <para>Proof. Let A = ℓI − G with ℓ exactly a float32 number, and Ã the complex64 matrix factorised: its
/// off-diagonal entries are G's rounded (|δ| ≤ u|G_ij|, u = 2⁻²⁴), its diagonal fl(fl(−G_ii) + ℓ) (|δ| ≤ 3.01·u·M),
/// with M ≥ ℓ and M ≥ every |G_ij|; so ‖Ã − A‖₂ ≤ ‖Ã − A‖_F ≤ (n + 5)·u·M. Blocks formed in single precision add
/// their forming bound (<see cref="BlockSymbolGram.NegatedSingleBlocksAt"/>) to that. A Cholesky factorisation of an n × n
/// Hermitian Ã that completes in floating point gives L̂L̂* = Ã + E with |E| ≤ γ|L̂||L̂*| (Demmel; any order of
/// the inner products, hence also the blocked algorithm; γ = 4(n + 2)u/(1 − 4(n + 2)u) covers complex
/// multiplication's larger rounding), so ‖E‖₂ ≤ γ‖L̂‖_F², and ‖L̂‖_F² = tr Ã + tr E ≤ tr Ã + γ‖L̂‖_F², i.e.
/// ‖E‖₂ ≤ γ·tr Ã/(1 − γ). Since L̂L̂* ⪰ 0, A ⪰ −(‖E‖₂ + ‖Ã − A‖₂)I, so λ_max(G) ≤ ℓ + γ·tr Ã/(1 − γ) + (n + 5)uM,
/// checked in float64 (inflated by 10⁻¹² for the check's own rounding) against μ.</para>
/// <para>Measured and left out: a tighter ‖E‖₂ ≤ γ·ρ(|L̂|ᵀ|L̂|) (Collatz–Wielandt, ≈ √n·μ instead of n·μ) certifies
/// 31 of 34 blocks of 512 rows, but the factor's magnitudes and power steps cost what single precision saved.</para>
/// </summary>
internal sealed class SinglePrecisionScreen
{
    /// <summary>Blocks whose worst-case margin γ·n exceeds this (more than 256 rows) stay in complex128: at 512 rows (6 %) no random block passed.</summary>
    public const double MarginLimit = 0.02;

    private const double Unit = 1.0 / (1 << 24);

    private readonly double _target;
    private readonly double _rows;
    private readonly double _gamma;
    private bool _paying;

    /// <param name="rows">n: every block's size.</param>
    /// <param name="target">μ: the level the blocks are to be proven below.</param>
    public SinglePrecisionScreen(long rows, double target)
    {
        _rows = rows;
        _target = target;
        double unrounded = 4 * (rows + 2) * Unit;
        _gamma = unrounded / (1 - unrounded);
        _paying = _gamma * rows <= MarginLimit;
    }

    /// <summary>Whether the screen still tries: false for blocks over the margin limit and once a chunk certified less than half.</summary>
    public bool Paying => _paying;

    /// <summary>
    /// [P] bool: true where the block is proven λ_max ≤ the target (false where single precision could not tell,
    /// and everywhere once the screen stopped paying). <paramref name="negated"/>: [P, n, n] holding −G — complex128, left
    /// unchanged, or complex64 formed within <paramref name="formingError"/> (spectral norm) of the true −G, shifted in place.
    /// </summary>
    public Tensor CertifiedBelow(Tensor negated, double formingError = 0)
    {
        long count = negated.shape[0];
        if (!_paying)
        {
            return zeros(new[] { count }, dtype: ScalarType.Bool);
        }
        using var scope = NewDisposeScope();
        Tensor shifted = negated.dtype == ScalarType.ComplexFloat32 ? negated : negated.to(complex64);   // −G rounded; becomes Ã
        // |z| ≤ √2·max(|Re z|, |Im z|): M from one pass over the real numbers (complex abs is several times slower here).
        Tensor largest = view_as_real(shifted).abs().amax(new long[] { 1, 2, 3 }).to(float64).Times(Math.Sqrt(2) * (1 + 4 * Unit));
        Tensor conversion = largest.ClampBelow(_target).Times((_rows + 5) * Unit).Plus(formingError);   // (n + 5)uM, once ℓ ≤ μ, and the forming
        // ℓ from ℓ + γ(nℓ − tr G)/(1 − γ) + conversion = μ, a hair lower so that the check's rounding cannot fail it.
        double share = _gamma / (1 - _gamma);
        Tensor traces = shifted.diagonal(0, 1, 2).real.to(float64).sum(1).neg();                     // ≈ tr G
        Tensor level = traces.Times(share).Minus(conversion).Plus(_target).DividedBy(1 + share * _rows)
            .Times(1 - 1e-7).ClampBelow(0).to(float32);                                             // exactly float32 numbers
        shifted.diagonal(0, 1, 2).PlusInPlace(level.unsqueeze(1).to(complex64));
        Tensor completed = linalg.cholesky_ex(shifted).info.eq(Scalars.Zero);
        Tensor trace = shifted.diagonal(0, 1, 2).real.to(float64).sum(1);                           // tr Ã
        Tensor reached = level.to(float64).Plus(trace, share).Plus(conversion).Times(1 + 1e-12);
        using var target = _target.ToScalar();
        Tensor certified = completed.logical_and(reached.le(target)).MoveToOuterDisposeScope();
        _paying = 2 * certified.sum().item<long>() >= count;
        return certified;
    }
}

using System.Collections.Generic;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// Multi-head self-attention (DESIGN.md §7), sound with PyTorch's in_proj biases. One head with n tokens X
/// (rows xᵢ, ‖xᵢ‖ ≤ R), V = XW_Vᵀ + 1b_Vᵀ, S = QKᵀ/√d_k, P = softmax(S) by rows, output PV; M = W_Qᵀ W_K:
/// <list type="bullet">
/// <item>d(PV) = dP·V + P·dV, and ‖P·dV‖_F ≤ ‖P‖₂σ(W_V)‖dX‖_F;</item>
/// <item>row i of dP is A(pᵢ)dsᵢ with A(p) = diag p − ppᵀ, and A(p)1 = 0, so row i of dP·V is
/// dsᵢᵀA(pᵢ)XW_Vᵀ (V's bias drops out): ‖dP·V‖_F ≤ m·‖dS‖_F with m = maxᵢ‖A(pᵢ)XW_Vᵀ‖₂ ≤ ½‖X‖₂σ(W_V);</item>
/// <item>softmax ignores what is constant along a row (the key bias, dxᵢᵀW_Qᵀb_K), so
/// dS·√d_k counts as dX M Xᵀ + X M dXᵀ + 1uᵀ, u_j = (W_Kᵀb_Q)ᵀdx_j: ‖dS‖_F ≤ (2σ(M)‖X‖₂ + √n κ)‖dX‖_F/√d_k,
/// κ = ‖W_Kᵀb_Q‖.</item>
/// </list>
/// So L_head ≤ σ(W_V)‖P‖₂ + m(2σ(M)‖X‖₂ + √n κ)/√d_k. Written with the ratios to the worst cases — ρ_P = ‖P‖₂/√n
/// (a row-stochastic matrix has ‖P‖₂ ≤ √(‖P‖₁‖P‖_∞) ≤ √n), ρ_X = ‖X‖₂/(√n R) (‖X‖₂ ≤ ‖X‖_F ≤ √n R) and
/// ρ_V = m/(½‖X‖₂σ(W_V)), each in [0, 1] —
/// L_head ≤ σ(W_V)(√n ρ_P + n R ρ_V ρ_X (σ(M) ρ_X R + κ/2)/√d_k). With every ρ = 1 this holds for every input
/// (and is §7's σ(W_V)(√n + n R² σ(M)/√d_k) when κ = 0); the engine may put in the ratios' maxima over
/// calibration inputs (each term grows with each ratio), and the bound then holds at those inputs.
/// L_MHA ≤ σ(W_O)·√(Σ_h L_head²).
/// </summary>
public static class AttentionRule
{
    /// <param name="symbolPath">The path the weight symbols are named by: the layer's, or its fold's composite
    /// (<see cref="LinearFold.Composite"/>) when a LayerNorm's γ and β are folded into the projections.</param>
    public static Expr HeadFactor(MultiHeadSelfAttention attention, int head, Expr radius, string? symbolPath = null)
    {
        string path = symbolPath ?? attention.Path;
        int tokens = attention.Input[0];
        int dk = attention.Dim / attention.Heads;
        Expr n = Expr.Num(Number.Integer(tokens));
        Expr sigmaV = SymbolNames.Symbol(Quantity.AttentionValueNorm, path, head);
        Expr sigmaQK = SymbolNames.Symbol(Quantity.AttentionQueryKeyNorm, path, head);
        Expr kappa = SymbolNames.Symbol(Quantity.AttentionQueryBiasKeyNorm, path, head);
        Expr matrixRatio = SymbolNames.Symbol(Quantity.AttentionMatrixRatio, path, head);
        Expr tokenRatio = SymbolNames.Symbol(Quantity.TokenMatrixRatio, path);
        Expr spreadRatio = SymbolNames.Symbol(Quantity.AttentionValueSpreadRatio, path, head);
        Expr scoreGrowth = Expr.Add(Expr.Mul(sigmaQK, tokenRatio, radius), Expr.Div(kappa, Expr.Num(Number.Integer(2))));
        Expr softmaxTerm = Expr.Div(Expr.Mul(n, radius, spreadRatio, tokenRatio, scoreGrowth), Expr.Sqrt(Expr.Num(Number.Integer(dk))));
        return Expr.Mul(sigmaV, Expr.Add(Expr.Mul(Expr.Sqrt(n), matrixRatio), softmaxTerm));
    }

    public static Expr Factor(MultiHeadSelfAttention attention, Expr radius, string? symbolPath = null)
    {
        var squares = new List<Expr>(attention.Heads);
        for (int h = 0; h < attention.Heads; h++)
        {
            squares.Add(Expr.Pow(HeadFactor(attention, h, radius, symbolPath), 2));
        }
        return Expr.Mul(SymbolNames.Symbol(Quantity.AttentionOutputNorm, symbolPath ?? attention.Path), Expr.Sqrt(Expr.Add(squares)));
    }
}

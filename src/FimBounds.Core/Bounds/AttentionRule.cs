using System.Collections.Generic;
using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;

namespace FimBounds.Core.Bounds;

/// <summary>
/// Multi-head self-attention (DESIGN.md §7), sound with PyTorch's in_proj biases. For one head with
/// n tokens of norm ≤ R, P = softmax(S), S_ij = q_i·k_j/√d_k:
/// <list type="bullet">
/// <item>the key bias and q_i·b_K are constant along a row, which softmax ignores; the query bias adds
/// b_Qᵀ W_K x_j, whose derivative has norm ≤ κ = ‖W_Kᵀ b_Q‖;</item>
/// <item>row i of dS·√d_k is dx_iᵀ M Xᵀ + dXᵀ(Mᵀx_i + κ-term), M = W_Qᵀ W_K, so
/// ‖dS‖_F ≤ √(2n)·√(σ(M)²R² + (σ(M)R + κ)²)/√d_k·‖dX‖ (‖X‖₂ ≤ √n R);</item>
/// <item>d(PV) = dP·V + P·dV with ‖J_softmax‖ ≤ ½, rows of dP summing to 0 (V's bias drops out),
/// ‖V‖₂ ≤ √n R σ(W_V) and ‖P‖₂ ≤ √n.</item>
/// </list>
/// Hence L_head ≤ σ(W_V)·(√n + n R √(σ(M)²R² + (σ(M)R + κ)²)/√(2 d_k)), which is §7's
/// σ(W_V)(√n + n R² σ(M)/√d_k) when κ = 0; and L_MHA ≤ σ(W_O)·√(Σ_h L_head²).
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
        Expr scoreGrowth = Expr.Sqrt(Expr.Add(
            Expr.Pow(Expr.Mul(sigmaQK, radius), 2),
            Expr.Pow(Expr.Add(Expr.Mul(sigmaQK, radius), kappa), 2)));
        Expr softmaxTerm = Expr.Div(Expr.Mul(n, radius, scoreGrowth), Expr.Sqrt(Expr.Num(Number.Integer(2L * dk))));
        return Expr.Mul(sigmaV, Expr.Add(Expr.Sqrt(n), softmaxTerm));
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

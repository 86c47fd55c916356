namespace FimBounds.Core.Bounds;

/// <summary>
/// What a symbol of a bound stands for. This is the contract between the bound rules, which create
/// symbols, and the numeric engine, which gives every symbol a value from real weights (or from data,
/// for stated assumptions). Add a member here only together with its evaluation in the engine.
/// </summary>
public enum Quantity
{
    /// <summary>σ: spectral norm of a linear map (Linear, or Conv2d as an operator at its input size).</summary>
    OperatorNorm,

    /// <summary>β = maxₖ |γₖ| / √(varₖ + ε) of an eval-mode BatchNorm2d.</summary>
    BatchNormScale,

    /// <summary>maxₖ |γₖ| of a LayerNorm.</summary>
    LayerNormGain,

    /// <summary>‖β‖₂ of a LayerNorm's shift.</summary>
    LayerNormShiftNorm,

    /// <summary>Assumption: a floor v_min on the per-token variance entering a LayerNorm.</summary>
    TokenVarianceFloor,

    /// <summary>σ(W_V) of one attention head (Head set).</summary>
    AttentionValueNorm,

    /// <summary>σ(W_Q W_Kᵀ) of one attention head (Head set).</summary>
    AttentionQueryKeyNorm,

    /// <summary>σ(W_O) of the attention output projection.</summary>
    AttentionOutputNorm,

    /// <summary>Assumption/derived: a bound R on the Euclidean norm of every token entering attention.</summary>
    InputRadius,

    /// <summary>
    /// κ = ‖W_{K,h}ᵀ b_{Q,h}‖₂ of one attention head (Head set): the key projection of the query bias.
    /// The query bias adds the score term b_Qᵀ W_K x_j, which depends on the key token and so is not
    /// removed by the softmax; κ bounds its derivative (0 when in_proj has no bias). Evaluate with the
    /// head's rows of the packed in_proj weight (rows D + h·d_k … of the key block) and bias.
    /// </summary>
    AttentionQueryBiasKeyNorm,

    /// <summary>
    /// ρ_P = ‖P_h‖₂/√n ∈ (0, 1] of one attention head (Head set): its attention matrix's spectral norm as a
    /// fraction of the worst case √n of a row-stochastic n×n matrix. 1 in the global bound; a maximum
    /// measured on calibration inputs makes the bound hold at those inputs.
    /// </summary>
    AttentionMatrixRatio,

    /// <summary>
    /// ρ_X = ‖X‖₂/(√n·R) ∈ (0, 1] of an attention layer: the spectral norm of the n×D token matrix entering
    /// it (with a LayerNorm folded in, the normalised tokens) as a fraction of the worst case √n·R.
    /// 1 in the global bound; measured on calibration inputs, valid at those inputs.
    /// </summary>
    TokenMatrixRatio,

    /// <summary>
    /// ρ_V = maxᵢ ‖A(pᵢ)·X W_Vᵀ‖₂ / (½·‖X‖₂·σ(W_V)) ∈ [0, 1] of one attention head (Head set), A(p) = diag p − ppᵀ
    /// the softmax Jacobian of query row i: how far the values the softmax mixes spread, against the worst
    /// case ‖A‖ ≤ ½ and ‖X W_Vᵀ‖₂ ≤ ‖X‖₂σ(W_V). 1 in the global bound; measured on calibration inputs, valid there.
    /// </summary>
    AttentionValueSpreadRatio,

    /// <summary>
    /// ρ_C ∈ (0, 1] of a linear map fed by a dense concatenation [x, h_1(x), …] (<see cref="ConcatenationPlan"/>):
    /// the best bound min_t σ([W^(j)/t_j]_j)·√(Σ_j t_j² a_j²) on ‖W u‖ over the branch bounds ‖u_j‖ ≤ a_j, as a
    /// fraction of the plain σ(W)·√(Σ_j a_j²). Every t is sound, so every such ρ_C holds for every input;
    /// 1 (t = 1) at compile time and in the ranking; the engine computes it from the weights in network order.
    /// </summary>
    ConcatenationRatio,
}

/// <summary>The meaning of one symbol: which quantity, of which layer (by path), of which head.</summary>
public sealed record SymbolMeaning(Quantity Quantity, string LayerPath, int? Head = null);

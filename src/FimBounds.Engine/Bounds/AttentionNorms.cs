namespace FimBounds.Engine.Bounds;

/// <summary>
/// The weight norms of one multi-head self-attention layer (PyTorch's packed in_proj parameterisation).
/// <see cref="QueryKey"/> is σ of M̃ = [M; cᵀ] with M = W_Q,hᵀW_K,h and c = W_K,hᵀb_Q,h: the query bias
/// adds b_Qᵀ W_K x_j to score (i, j), which varies with j and therefore changes the softmax; writing the
/// scores as x̃ᵢᵀM̃x̃ⱼ with x̃ = [x; 1] keeps the single-head bound sound when
/// <see cref="QueryBiasMatters"/>, at the price of a token radius √(R² + 1) in the score term.
/// (The key bias adds a per-row constant and the value bias a constant output, neither affects the Jacobian.)
/// </summary>
public sealed record AttentionNorms(int Heads, int HeadDim, double[] Value, double[] QueryKey, double Output, bool QueryBiasMatters);

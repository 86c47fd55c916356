namespace FimBounds.Engine.Bounds;

/// <summary>
/// The weight norms of one multi-head self-attention layer (PyTorch's packed in_proj parameterisation),
/// per head h with d_k = D/heads: σ(W_V,h), σ(M_h) with M_h = W_Q,hᵀ W_K,h (scores q_i·k_j = x_iᵀ M_h x_j),
/// κ_h = ‖W_K,hᵀ b_Q,h‖ (the query bias adds b_Qᵀ W_K x_j to score (i, j), which varies with the key
/// token, so softmax does not remove it), and σ(W_O).
/// </summary>
public sealed record AttentionNorms(int Heads, int HeadDim, double[] Value, double[] QueryKey, double[] QueryBiasKey, double Output);

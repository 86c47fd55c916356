using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;
using TorchSharp;
using TorchSharp.Modules;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>
/// The attention symbols' values computed exactly from an nn.MultiheadAttention's packed weights; the ratios
/// ρ at their worst case 1 (<see cref="Of(Tensor, Tensor, Tensor, string, int, int)"/>) or at given tokens
/// (<see cref="CalibratedRatios"/>).
/// </summary>
public static class AttentionQuantities
{
    public static Dictionary<string, double> Of(MultiheadAttention mha, string path, int dim, int heads)
    {
        using var scope = NewDisposeScope();
        var parameters = mha.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        // Without in_proj bias the query bias is 0, and so is κ.
        Tensor b = parameters.TryGetValue("in_proj_bias", out Tensor? bias) ? bias : zeros(3 * dim, dtype: float64);
        return Of(parameters["in_proj_weight"], b, parameters["out_proj.weight"], path, dim, heads);
    }

    /// <summary>The same from the packed in_proj weight [3D, D] and bias [3D] and the out_proj weight.</summary>
    public static Dictionary<string, double> Of(Tensor w, Tensor b, Tensor outProjection, string path, int dim, int heads)
    {
        using var scope = NewDisposeScope();
        int dk = dim / heads;
        var values = new Dictionary<string, double>
        {
            [SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionOutputNorm, path))] = SpectralNorm(outProjection),
        };
        for (int h = 0; h < heads; h++)
        {
            Tensor wq = w[TensorIndex.Slice(h * dk, (h + 1) * dk)];
            Tensor wk = w[TensorIndex.Slice(dim + h * dk, dim + (h + 1) * dk)];
            Tensor wv = w[TensorIndex.Slice(2 * dim + h * dk, 2 * dim + (h + 1) * dk)];
            Tensor bq = b[TensorIndex.Slice(h * dk, (h + 1) * dk)];
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionValueNorm, path, h))] = SpectralNorm(wv);
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionQueryKeyNorm, path, h))] = SpectralNorm(wq.t().matmul(wk));
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionQueryBiasKeyNorm, path, h))] = wk.t().matmul(bq).norm().item<double>();
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionMatrixRatio, path, h))] = 1.0;
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionValueSpreadRatio, path, h))] = 1.0;
        }
        values[SymbolNames.NameOf(new SymbolMeaning(Quantity.TokenMatrixRatio, path))] = 1.0;
        return values;
    }

    /// <summary>
    /// Sets the ratios to their exact values at the tokens <paramref name="x"/> (n × D) with radius
    /// <paramref name="radius"/>: ρ_P = ‖P_h‖₂/√n, ρ_X = ‖X‖₂/(√n R), ρ_V = maxᵢ‖A(pᵢ)XW_V,hᵀ‖₂/(½‖X‖₂σ(W_V,h)),
    /// computed here from the definitions, row by row, independently of the engine's batched code.
    /// </summary>
    public static void CalibratedRatios(Dictionary<string, double> values, Tensor w, Tensor b, Tensor x, double radius, string path, int dim, int heads)
    {
        using var scope = NewDisposeScope();
        int dk = dim / heads;
        long n = x.shape[0];
        double tokenNorm = SpectralNorm(x);
        values[SymbolNames.NameOf(new SymbolMeaning(Quantity.TokenMatrixRatio, path))] = tokenNorm / (Math.Sqrt(n) * radius);
        for (int h = 0; h < heads; h++)
        {
            Tensor wq = w[TensorIndex.Slice(h * dk, (h + 1) * dk)];
            Tensor wk = w[TensorIndex.Slice(dim + h * dk, dim + (h + 1) * dk)];
            Tensor wv = w[TensorIndex.Slice(2 * dim + h * dk, 2 * dim + (h + 1) * dk)];
            Tensor q = x.matmul(wq.t()) + b[TensorIndex.Slice(h * dk, (h + 1) * dk)];
            Tensor k = x.matmul(wk.t()) + b[TensorIndex.Slice(dim + h * dk, dim + (h + 1) * dk)];
            Tensor p = (q.matmul(k.t()) / Math.Sqrt(dk)).softmax(-1);
            Tensor v = x.matmul(wv.t());
            double spread = 0;
            for (long i = 0; i < n; i++)
            {
                Tensor row = p[i];
                Tensor a = diag(row) - row.unsqueeze(1).matmul(row.unsqueeze(0));
                spread = Math.Max(spread, SpectralNorm(a.matmul(v)));
            }
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionMatrixRatio, path, h))] = SpectralNorm(p) / Math.Sqrt(n);
            values[SymbolNames.NameOf(new SymbolMeaning(Quantity.AttentionValueSpreadRatio, path, h))] = spread / (0.5 * tokenNorm * SpectralNorm(wv));
        }
    }
}

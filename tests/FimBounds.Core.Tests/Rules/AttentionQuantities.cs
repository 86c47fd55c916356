using FimBounds.Core.Algebra;
using FimBounds.Core.Bounds;
using TorchSharp;
using TorchSharp.Modules;
using static FimBounds.Core.Tests.Rules.Numerics;
using static TorchSharp.torch;

namespace FimBounds.Core.Tests.Rules;

/// <summary>The attention symbols' values computed exactly from an nn.MultiheadAttention's packed weights.</summary>
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
        }
        return values;
    }
}

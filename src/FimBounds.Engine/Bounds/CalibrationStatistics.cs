using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// What the data says about the assumptions of the LayerNorm and attention factors, measured by running
/// calibration inputs through the model with hooks on the layers' modules (found by path):
/// the smallest per-token variance entering each LayerNorm (biased, over the last axis, as LayerNorm
/// computes it), the largest token norm entering each attention layer, and the attention rule's maxima
/// (<see cref="AttentionCalibration"/>). These values make the bound hold at the calibration inputs (the
/// Jacobian at x only sees the activations at x), not everywhere.
/// </summary>
public sealed class CalibrationStatistics
{
    private readonly Dictionary<string, double> _varianceFloor;
    private readonly Dictionary<string, double> _tokenNorm;
    private readonly Dictionary<string, AttentionCalibration> _attention;

    private CalibrationStatistics(int inputs, Dictionary<string, double> varianceFloor, Dictionary<string, double> tokenNorm,
        Dictionary<string, AttentionCalibration> attention)
    {
        Inputs = inputs;
        _varianceFloor = varianceFloor;
        _tokenNorm = tokenNorm;
        _attention = attention;
    }

    /// <summary>How many inputs the statistics were measured on.</summary>
    public int Inputs { get; }

    public static CalibrationStatistics None { get; } = new(0, new(), new(), new());

    /// <summary>min over tokens of the variance entering the LayerNorm at <paramref name="path"/>, if measured.</summary>
    public double? VarianceFloor(string path) => _varianceFloor.TryGetValue(path, out double v) ? v : null;

    /// <summary>max over tokens of the Euclidean norm entering the attention at <paramref name="path"/>, if measured.</summary>
    public double? MaxTokenNorm(string path) => _tokenNorm.TryGetValue(path, out double v) ? v : null;

    /// <summary>The attention rule's maxima for the attention at <paramref name="path"/>, if measured.</summary>
    public AttentionCalibration? Attention(string path) => _attention.TryGetValue(path, out AttentionCalibration? a) ? a : null;

    public static CalibrationStatistics Measure(nn.Module<Tensor, Tensor> model, ArchitectureDescription description, Tensor inputs, int batchSize = 64)
    {
        var layerNorms = description.AllLayers().OfType<LayerNorm>().Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var attentions = description.AllLayers().OfType<MultiHeadSelfAttention>().Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var floor = new Dictionary<string, double>(StringComparer.Ordinal);
        var radius = new Dictionary<string, double>(StringComparer.Ordinal);
        var attention = new Dictionary<string, AttentionCalibration>(StringComparer.Ordinal);
        if (layerNorms.Count + attentions.Count == 0)
        {
            return new CalibrationStatistics((int)inputs.shape[0], floor, radius, attention);
        }
        // A LayerNorm folded into an attention's projections hands that attention its normalised tokens.
        var foldedInto = new Dictionary<string, (AttentionCalibration Calibration, double Eps)>(StringComparer.Ordinal);
        LinearFolds folds = LinearFolds.Of(description.Network);
        foreach (MultiHeadSelfAttention mha in description.AllLayers().OfType<MultiHeadSelfAttention>())
        {
            LayerNorm? ln = folds.Of(mha.Path) is { } fold && ReferenceEquals(fold.Map, mha) ? fold.Input as LayerNorm : null;
            attention[mha.Path] = new AttentionCalibration(mha.Heads, ln is not null);
            if (ln is not null)
            {
                foldedInto[ln.Path] = (attention[mha.Path], ln.Eps);
            }
        }

        var removers = new List<Action>();
        foreach ((string name, nn.Module module) in model.named_modules())
        {
            if (module is not nn.Module<Tensor, Tensor> hookable)
            {
                continue;
            }
            if (layerNorms.Contains(name))
            {
                string path = name;
                removers.Add(hookable.register_forward_pre_hook((_, input) =>
                {
                    using var scope = NewDisposeScope();
                    double v = input.detach().to(float64).var(-1, unbiased: false).min().item<double>();
                    floor[path] = floor.TryGetValue(path, out double old) ? Math.Min(old, v) : v;
                    if (foldedInto.TryGetValue(path, out var target))
                    {
                        target.Calibration.ObserveNormalised(input, target.Eps);
                    }
                    return input;
                }).remove);
            }
            if (attentions.Contains(name))
            {
                string path = name;
                removers.Add(hookable.register_forward_pre_hook((self, input) =>
                {
                    using var scope = NewDisposeScope();
                    double r = input.detach().to(float64).norm(-1).max().item<double>();
                    radius[path] = radius.TryGetValue(path, out double old) ? Math.Max(old, r) : r;
                    // Read at call time: module.to(dtype) replaces parameters.
                    var parameters = self.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter);
                    if (parameters.TryGetValue("in_proj_weight", out var weight))
                    {
                        attention[path].ObserveInput(input, weight, parameters.TryGetValue("in_proj_bias", out var bias) ? bias : null);
                    }
                    return input;
                }).remove);
            }
        }

        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            ScalarType dtype = Measurement.MeasurementSession.DtypeOf(model) ?? ScalarType.Float32;
            long count = inputs.shape[0];
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                model.call(inputs.narrow(0, start, Math.Min(batchSize, count - start)).to(dtype));
            }
        }
        finally
        {
            foreach (Action remove in removers)
            {
                remove();
            }
            model.train(wasTraining);
        }
        return new CalibrationStatistics((int)inputs.shape[0], floor, radius, attention.Where(a => a.Value.Batches > 0 && a.Value.TokenMatrixNorm > 0)
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Puts a model into the state every estimator assumes and restores it afterwards: eval mode (so the
/// inputs of a batch do not interact and per-input gradients come from one backward pass), parameters
/// that do not require gradients (so backward passes compute input gradients only, never weight
/// gradients) and, when asked, a working precision (float64 for black-box finite differences).
/// A float32 → float64 → float32 round trip is exact, so restoring the dtype loses nothing; the model's
/// parameter objects are replaced by the conversion, which is why callers must not hold on to them.
/// </summary>
internal sealed class MeasurementSession : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly bool _wasTraining;
    private readonly ScalarType _originalDtype;
    private readonly Dictionary<string, bool> _requiresGrad;

    private MeasurementSession(nn.Module<Tensor, Tensor> model, ScalarType? precision)
    {
        _model = model;
        _wasTraining = model.training;
        _requiresGrad = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.requires_grad);
        _originalDtype = DtypeOf(model) ?? ScalarType.Float32;
        DType = precision ?? _originalDtype;
        if (DType != _originalDtype)
        {
            model.to(DType);
        }
        model.eval();
        foreach ((string _, TorchSharp.Modules.Parameter parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>The dtype inputs are converted to.</summary>
    public ScalarType DType { get; }

    public static MeasurementSession Open(nn.Module<Tensor, Tensor> model, ScalarType? precision = null) => new(model, precision);

    /// <summary>The dtype of a model's first floating-point parameter or buffer; null for a model without any.</summary>
    public static ScalarType? DtypeOf(nn.Module model)
    {
        foreach ((string _, TorchSharp.Modules.Parameter parameter) in model.named_parameters())
        {
            if (parameter.is_floating_point())
            {
                return parameter.dtype;
            }
        }
        foreach ((string _, Tensor buffer) in model.named_buffers())
        {
            if (buffer.is_floating_point())
            {
                return buffer.dtype;
            }
        }
        return null;
    }

    public void Dispose()
    {
        if (DType != _originalDtype)
        {
            _model.to(_originalDtype);
        }
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in _model.named_parameters())
        {
            if (_requiresGrad.TryGetValue(name, out bool requiresGrad))
            {
                parameter.requires_grad = requiresGrad;
            }
        }
        _model.train(_wasTraining);
    }
}

using static TorchSharp.torch;

namespace FimBounds.Nn.Modules;

/// <summary>
/// (x − mean)/std per channel. The constants are neither parameters nor buffers, so state_dicts stay
/// torchvision's; they take the input's dtype and device on every call (models may run in float64).
/// </summary>
public sealed class Normalize : nn.Module<Tensor, Tensor>
{
    private readonly double[] _mean;
    private readonly double[] _std;

    public Normalize(double[] mean, double[] std) : base(nameof(Normalize))
    {
        if (mean.Length != std.Length)
        {
            throw new ArgumentException($"mean has {mean.Length} channels but std has {std.Length}; give one value per channel to both.");
        }
        _mean = mean;
        _std = std;
    }

    public IReadOnlyList<double> Mean => _mean;

    public IReadOnlyList<double> Std => _std;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long[] shape = { 1, _mean.Length, 1, 1 };
        Tensor mean = tensor(_mean, dtype: input.dtype, device: input.device).view(shape);
        Tensor std = tensor(_std, dtype: input.dtype, device: input.device).view(shape);
        return ((input - mean) / std).MoveToOuterDisposeScope();
    }
}

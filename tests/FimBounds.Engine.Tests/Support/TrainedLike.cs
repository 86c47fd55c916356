using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>
/// Gives a freshly initialised model the parameter statistics of a trained one, so that every term of a
/// bound matters: BatchNorm running statistics and affine parameters away from (0, 1), LayerNorm affine
/// parameters away from (1, 0), non-zero attention in_proj biases (the query bias changes the Jacobian),
/// and weights scaled so that predictions are confident.
/// </summary>
public static class TrainedLike
{
    public static void Randomise(nn.Module model, long seed, double weightScale)
    {
        using var generator = new Generator((ulong)seed + 99);
        using var noGrad = no_grad();
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.BatchNorm2d bn:
                    long c = bn.running_mean!.shape[0];
                    ScalarType t = bn.running_mean.dtype;
                    bn.running_mean.copy_(randn(new[] { c }, dtype: t, generator: generator) * 0.2);
                    bn.running_var!.copy_(rand(new[] { c }, dtype: t, generator: generator) * 1.5 + 0.3);
                    bn.weight!.copy_(randn(new[] { c }, dtype: t, generator: generator));
                    bn.bias!.copy_(randn(new[] { c }, dtype: t, generator: generator) * 0.1);
                    break;
                case TorchSharp.Modules.LayerNorm ln:
                    long d = ln.weight!.shape[0];
                    ScalarType u = ln.weight.dtype;
                    ln.weight.copy_(1 + randn(new[] { d }, dtype: u, generator: generator) * 0.3);
                    ln.bias!.copy_(randn(new[] { d }, dtype: u, generator: generator) * 0.2);
                    break;
            }
        }
        foreach ((string name, TorchSharp.Modules.Parameter p) in model.named_parameters())
        {
            if (name.EndsWith("in_proj_bias", StringComparison.Ordinal))
            {
                p.copy_(randn(p.shape, dtype: p.dtype, generator: generator) * 0.5);
            }
            else if (name.EndsWith("weight", StringComparison.Ordinal) && p.dim() > 1)
            {
                p.mul_(weightScale);
            }
        }
    }
}

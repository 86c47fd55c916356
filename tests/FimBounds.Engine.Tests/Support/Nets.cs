using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>Small hand-built classifiers in float64 for checking the estimators against dense algebra.</summary>
public static class Nets
{
    /// <summary>A smooth MLP (tanh), input [d] → K logits.</summary>
    public static nn.Module<Tensor, Tensor> SmoothMlp(int inputs, int hidden, int classes, long seed)
    {
        TestTensors.Seed(seed);
        var model = nn.Sequential(
            ("fc1", nn.Linear(inputs, hidden)),
            ("act1", nn.Tanh()),
            ("fc2", nn.Linear(hidden, hidden)),
            ("act2", nn.GELU()),
            ("fc3", nn.Linear(hidden, classes)));
        return Scale(model.to(float64), 2.0);
    }

    /// <summary>A ReLU CNN with eval-mode BatchNorm (random running statistics) and max pooling, input [C, S, S].</summary>
    public static nn.Module<Tensor, Tensor> ReluCnn(int channels, int size, int classes, long seed)
    {
        TestTensors.Seed(seed);
        var model = nn.Sequential(
            ("conv1", nn.Conv2d(channels, 4, 3, padding: 1)),
            ("bn1", nn.BatchNorm2d(4)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(4, 6, 3, padding: 1)),
            ("relu2", nn.ReLU()),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(6 * (size / 2) * (size / 2), classes)));
        model = model.to(float64);
        RandomiseBatchNorm(model, seed);
        return Scale(model, 3.0);
    }

    /// <summary>Gives every BatchNorm non-trivial running statistics and affine parameters (as after training).</summary>
    public static void RandomiseBatchNorm(nn.Module model, long seed)
    {
        using var generator = new Generator((ulong)seed + 17);
        using var noGrad = no_grad();
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            if (module is TorchSharp.Modules.BatchNorm2d bn)
            {
                long c = bn.running_mean!.shape[0];
                bn.running_mean.copy_(randn(new[] { c }, dtype: float64, generator: generator) * 0.3);
                bn.running_var!.copy_(rand(new[] { c }, dtype: float64, generator: generator) * 2 + 0.2);
                bn.weight!.copy_(randn(new[] { c }, dtype: float64, generator: generator));
                bn.bias!.copy_(randn(new[] { c }, dtype: float64, generator: generator) * 0.1);
            }
        }
    }

    /// <summary>Multiplies every weight by a factor, so logits leave the near-uniform regime of fresh initialisation.</summary>
    public static nn.Module<Tensor, Tensor> Scale(nn.Module<Tensor, Tensor> model, double factor)
    {
        using var noGrad = no_grad();
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in model.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() > 1)
            {
                parameter.mul_(factor);
            }
        }
        return model;
    }
}

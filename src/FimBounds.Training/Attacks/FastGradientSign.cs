using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>FGSM: x + ε·sign(∇ₓ loss), clamped to [0,1].</summary>
public sealed class FastGradientSign : Attack
{
    public FastGradientSign(AttackSettings settings) : base(settings)
    {
    }

    protected override Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels, Tensor epsilon)
    {
        Tensor gradient = LossGradient(model, x, labels);
        return x.Plus(epsilon * gradient.sign()).ClampTo(0.0, 1.0);
    }
}

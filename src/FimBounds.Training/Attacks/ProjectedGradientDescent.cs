using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>
/// PGD (Madry et al.) in the L∞ or L2 ball around x, intersected with the pixel box [0,1]: an optional
/// uniform random start inside the ball, then ascent steps on the cross-entropy (sign of the gradient
/// for L∞, the normalised gradient for L2), each followed by projection onto the ball and the box.
/// With ε = 0 the ball is the point x, so the input comes back unchanged.
/// </summary>
public sealed class ProjectedGradientDescent : Attack
{
    public ProjectedGradientDescent(AttackSettings settings) : base(settings)
    {
        if (settings.Kind is not (AttackKind.Pgd or AttackKind.PgdL2))
        {
            throw new ArgumentException($"PGD cannot run a {settings.Kind} attack");
        }
    }

    private bool IsL2 => Settings.Kind == AttackKind.PgdL2;

    protected override Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels, Tensor epsilon)
    {
        // Step sizes scale with each input's budget (the settings' step/ε ratio), so a per-input ε
        // keeps the attack's shape.
        double ratio = Settings.Epsilon > 0 ? Settings.StepSize / Settings.Epsilon : 0.0;
        Tensor step = epsilon.Times(ratio);
        Tensor adversarial = Settings.RandomStart ? RandomStart(x, epsilon) : x.clone();
        for (int i = 0; i < Settings.Steps; i++)
        {
            using var scope = NewDisposeScope();
            Tensor gradient = LossGradient(model, adversarial, labels);
            Tensor direction = IsL2 ? gradient / L2Norm(gradient).Plus(1e-12) : gradient.sign();
            Tensor next = Project(adversarial.Plus(step * direction), x, epsilon);
            adversarial = next.detach().MoveToOuterDisposeScope();
        }
        return adversarial;
    }

    private Tensor RandomStart(Tensor x, Tensor epsilon)
    {
        Tensor noise;
        if (IsL2)
        {
            // A random direction, scaled to a uniform fraction of the radius.
            Tensor gaussian = randn(x.shape, dtype: x.dtype, generator: Random);
            Tensor radius = rand(BroadcastShape(x), dtype: x.dtype, generator: Random) * epsilon;
            noise = gaussian / L2Norm(gaussian).Plus(1e-12) * radius;
        }
        else
        {
            noise = rand(x.shape, dtype: x.dtype, generator: Random).Times(2).Minus(1) * epsilon;
        }
        return x.Plus(noise).ClampTo(0.0, 1.0);
    }

    private Tensor Project(Tensor candidate, Tensor x, Tensor epsilon)
    {
        Tensor delta = candidate - x;
        if (IsL2)
        {
            Tensor norm = L2Norm(delta);
            Tensor scale = (epsilon / norm.Plus(1e-12)).ClampAbove(1.0);
            delta = delta * scale;
        }
        else
        {
            delta = minimum(maximum(delta, -epsilon), epsilon);
        }
        return x.Plus(delta).ClampTo(0.0, 1.0);
    }
}

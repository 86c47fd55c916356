using FimBounds.Torch;
using FimBounds.Engine.Certification;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Certification;

/// <summary>
/// Points of a perturbation ball (∩ [0, 1] box) chosen to break a certificate: uniform random samples,
/// and projected gradient ascent with random restarts on an objective of the logits. Independent of the
/// certifier's code: it only runs the model and autograd.
/// </summary>
internal static class BallSearch
{
    /// <summary><paramref name="count"/> random points of the ball around <paramref name="centre"/> [1, C, H, W]: [count, C, H, W].</summary>
    public static Tensor Sample(Tensor centre, PerturbationNorm norm, double epsilon, int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        long[] shape = new[] { (long)count }.Concat(centre.shape.Skip(1)).ToArray();
        Tensor direction = norm == PerturbationNorm.Linf
            ? rand(shape, dtype: float64, generator: generator).Times(2).Plus(-1.0)
            : Unit(randn(shape, dtype: float64, generator: generator)).mul(rand(count, dtype: float64, generator: generator).reshape(count, 1, 1, 1));
        // Corners of the L∞ ball are where ReLUs flip most: a quarter of the samples take them.
        if (norm == PerturbationNorm.Linf)
        {
            direction[..(count / 4)] = direction[..(count / 4)].sign();
        }
        return Project(centre.Plus(direction.Times(epsilon)), centre, norm, epsilon);
    }

    /// <summary>Projected (sign-)gradient ascent of <paramref name="objective"/> [B] from random starts: the best points found [restarts, …].</summary>
    public static Tensor Ascend(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> objective, Tensor centre,
        PerturbationNorm norm, double epsilon, int restarts, int steps, long seed)
    {
        Tensor x = Sample(centre, norm, epsilon, restarts, seed);
        Tensor best = x.clone();
        Tensor bestValue = TensorMath.Filled(new long[] { restarts }, double.NegativeInfinity, float64);
        double step = epsilon / 4;
        for (int i = 0; i < steps; i++)
        {
            Tensor leaf = x.detach().requires_grad_(true);
            Tensor value = objective(model.call(leaf));
            Tensor gradient = autograd.grad(new[] { value.sum() }, new[] { leaf })[0];
            Tensor improved = value.detach().gt(bestValue);
            best = where(improved.reshape(-1, 1, 1, 1), x, best);
            bestValue = maximum(value.detach(), bestValue);
            Tensor move = norm == PerturbationNorm.Linf ? gradient.sign() : Unit(gradient);
            x = Project(x.Plus(move.Times(step)), centre, norm, epsilon).detach();
            if (i == steps / 2)
            {
                step /= 4;
            }
        }
        using (no_grad())
        {
            Tensor last = objective(model.call(x));
            return where(last.gt(bestValue).reshape(-1, 1, 1, 1), x, best);
        }
    }

    private static Tensor Project(Tensor x, Tensor centre, PerturbationNorm norm, double epsilon)
    {
        Tensor delta = x.Minus(centre);
        if (norm == PerturbationNorm.Linf)
        {
            delta = delta.ClampBelow(-epsilon).ClampAbove(epsilon);
        }
        else
        {
            Tensor length = delta.flatten(1).norm(1, keepdim: true).reshape(-1, 1, 1, 1);
            delta = delta.mul(length.ClampBelow(epsilon).reciprocal().Times(epsilon));
        }
        return centre.Plus(delta).ClampBelow(0).ClampAbove(1);
    }

    private static Tensor Unit(Tensor v) => v.div(v.flatten(1).norm(1, keepdim: true).ClampBelow(1e-300).reshape(-1, 1, 1, 1));
}

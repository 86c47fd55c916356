using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>
/// A white-box attack on a classifier that takes pixel inputs in [0,1]. Runs in eval mode (restoring
/// the model's mode after) and differentiates with respect to the input only, so the model's parameter
/// gradients are never touched. Random starts draw from the attack's own seeded generator: the same
/// attack on the same batches gives the same perturbations.
/// </summary>
public abstract class Attack : IDisposable
{
    private Generator? _generator;

    protected Attack(AttackSettings settings)
    {
        settings.Validate();
        Settings = settings;
    }

    public AttackSettings Settings { get; }

    public static Attack Create(AttackSettings settings) => settings.Kind switch
    {
        AttackKind.Fgsm => new FastGradientSign(settings),
        AttackKind.Pgd => new ProjectedGradientDescent(settings),
        AttackKind.PgdL2 => new ProjectedGradientDescent(settings),
        AttackKind.Cw => new CarliniWagnerL2(settings),
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    /// <summary>Adversarial versions of <paramref name="inputs"/> (N×C×H×W, in [0,1]) for true <paramref name="labels"/>.</summary>
    public Tensor Perturb(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels) =>
        Perturb(model, inputs, labels, epsilon: null);

    /// <summary>
    /// As <see cref="Perturb(nn.Module{Tensor,Tensor},Tensor,Tensor)"/> with a per-input budget
    /// (<paramref name="epsilon"/>: N values); step sizes scale with it. Used by the minimal-ε search.
    /// </summary>
    public Tensor Perturb(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, Tensor? epsilon)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            Tensor x = inputs.detach();
            Tensor budget = epsilon is null
                ? TensorMath.Filled([x.shape[0]], Settings.Epsilon, x.dtype)
                : epsilon.to_type(x.dtype);
            Tensor perInput = budget.reshape(BroadcastShape(x));
            return Run(model, x, labels, perInput).detach().MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The attack proper: <paramref name="epsilon"/> has shape N×1×…×1.</summary>
    protected abstract Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels, Tensor epsilon);

    protected Generator Random => _generator ??= new Generator(unchecked((ulong)Settings.Seed), CPU);

    /// <summary>∇ₓ of the summed cross-entropy (summed, so each input's gradient is its own).</summary>
    protected static Tensor LossGradient(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels)
    {
        Tensor leaf = x.detach().requires_grad_(true);
        Tensor loss = nn.functional.cross_entropy(model.call(leaf), labels, reduction: nn.Reduction.Sum);
        return autograd.grad(new[] { loss }, new[] { leaf })[0];
    }

    /// <summary>Per-input L2 norm, shaped N×1×…×1 for broadcasting.</summary>
    protected static Tensor L2Norm(Tensor t) =>
        t.flatten(1).norm(1, keepdim: true).reshape(BroadcastShape(t));

    protected static long[] BroadcastShape(Tensor like)
    {
        long[] shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = like.shape[0];
        return shape;
    }

    public void Dispose()
    {
        _generator?.Dispose();
        _generator = null;
        GC.SuppressFinalize(this);
    }
}

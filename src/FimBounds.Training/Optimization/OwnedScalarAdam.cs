using FimBounds.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Training.Optimization;

/// <summary>
/// TorchSharp's Adam with a step that owns its native Scalars. The inherited step passes β₁, 1 − β₁,
/// ε, −lr/(1 − β₁ᵗ) … as implicit Scalars that the finalizer may free while libtorch reads them (it
/// crashed PGD training under garbage-collection pressure). This step runs the same operations in the
/// same order with the same values, so training is bit-for-bit what it was; parameter groups, state
/// and learning-rate schedulers are the base class's.
/// </summary>
public sealed class OwnedScalarAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : Adam(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value;
        double beta2 = options.beta2!.Value;
        double weightDecay = options.weight_decay!.Value;
        if (options.amsgrad!.Value || options.maximize!.Value)
        {
            throw new NotSupportedException("FimBounds trains with plain Adam (no amsgrad, no maximize).");
        }
        using var beta1Scalar = beta1.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var decay = weightDecay.ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0)
            {
                grad = grad.add(parameter, decay);
            }
            state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), oneMinusBeta2);
            using var root = Math.Sqrt(biasCorrection2).ToScalar();
            Tensor denominator = state.exp_avg_sq.sqrt().div(root).add_(eps, Scalars.One);
            using var stepSize = (-(options.LearningRate!.Value / biasCorrection1)).ToScalar();
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}

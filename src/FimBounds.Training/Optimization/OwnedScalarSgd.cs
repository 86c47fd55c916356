using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Training.Optimization;

/// <summary>
/// TorchSharp's SGD (momentum, dampening 0, no Nesterov) with a step that owns its native Scalars; see
/// <see cref="OwnedScalarAdam"/> for why. Same operations, same order, same values as the base step.
/// </summary>
public sealed class OwnedScalarSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay)
    : SGD(parameters, lr, momentum: momentum, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value;
        double weightDecay = options.weight_decay!.Value;
        if (options.nesterov!.Value || options.maximize!.Value)
        {
            throw new NotSupportedException("FimBounds trains with plain SGD with momentum (no Nesterov, no maximize).");
        }
        using var momentumScalar = momentum.ToScalar();
        using var oneMinusDampening = (1 - options.dampening!.Value).ToScalar();
        using var decay = weightDecay.ToScalar();
        using var minusLearningRate = (-options.LearningRate!.Value).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }
            if (weightDecay != 0)
            {
                grad = grad.add(parameter, decay);
            }
            if (momentum != 0)
            {
                if (state.momentum_buffer is null)
                {
                    state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    state.momentum_buffer.mul_(momentumScalar).add_(grad, oneMinusDampening);
                }
                grad = state.momentum_buffer;
            }
            parameter.add_(grad, minusLearningRate);
        }
    }, closure);
}

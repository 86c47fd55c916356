using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>
/// Carlini–Wagner L2 with a fixed trade-off c (no binary search, as in the paper's protocol): optimise
/// w with x' = ½(tanh w + 1) ∈ [0,1], minimising ‖x' − x‖² + c·max(Z_y − max_{i≠y} Z_i, −κ) with Adam.
/// Keeps, per input, the closest x' that was misclassified; inputs never misclassified come back
/// unchanged. Adam is written out here (a few lines) so the optimiser touches w only, never the model.
/// </summary>
public sealed class CarliniWagnerL2 : Attack
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double AdamEps = 1e-8;

    public CarliniWagnerL2(AttackSettings settings) : base(settings)
    {
        if (settings.Kind != AttackKind.Cw)
        {
            throw new ArgumentException($"CW cannot run a {settings.Kind} attack");
        }
    }

    protected override Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels, Tensor epsilon)
    {
        // atanh of exactly ±1 is infinite: pull pixels at the box edges in by a hair.
        Tensor w = x.Times(2).Minus(1).Times(1 - 1e-6).atanh().detach();
        Tensor m = zeros_like(w);
        Tensor v = zeros_like(w);
        Tensor best = x.clone();
        Tensor bestDistance = TensorMath.Filled([x.shape[0]], double.PositiveInfinity, x.dtype);
        for (int t = 1; t <= Settings.Steps + 1; t++)
        {
            using var scope = NewDisposeScope();
            Tensor leaf = w.detach().requires_grad_(true);
            Tensor candidate = leaf.tanh().Plus(1).Times(0.5);
            Tensor logits = model.call(candidate);
            Tensor distance = (candidate - x).Power(2).flatten(1).sum(1);

            // Remember every misclassified candidate that is closer than the best so far.
            Tensor fooled = logits.argmax(1).ne(labels);
            Tensor improved = fooled.logical_and(distance.detach().lt(bestDistance));
            best = where(improved.reshape(BroadcastShape(x)), candidate.detach(), best).MoveToOuterDisposeScope();
            bestDistance = where(improved, distance.detach(), bestDistance).MoveToOuterDisposeScope();
            if (t == Settings.Steps + 1)
            {
                break; // the last pass only scores the final iterate
            }

            Tensor oneHot = nn.functional.one_hot(labels, logits.shape[1]).to_type(ScalarType.Bool);
            Tensor real = logits.masked_select(oneHot).reshape(-1);
            using var negativeInfinity = double.NegativeInfinity.ToScalar();
            Tensor other = logits.masked_fill(oneHot, negativeInfinity).amax(new long[] { 1 });
            Tensor margin = (real - other).Plus(Settings.Confidence).ClampBelow(0.0);
            Tensor loss = distance.Plus(margin.Times(Settings.C)).sum();
            Tensor gradient = autograd.grad(new[] { loss }, new[] { leaf })[0];

            Tensor mNext = m.Times(Beta1).Plus(gradient.Times(1 - Beta1));
            Tensor vNext = v.Times(Beta2).Plus(gradient.Power(2).Times(1 - Beta2));
            double correction1 = 1 - Math.Pow(Beta1, t);
            double correction2 = 1 - Math.Pow(Beta2, t);
            Tensor update = mNext.DividedBy(correction1).div(vNext.DividedBy(correction2).sqrt().Plus(AdamEps)).Times(Settings.LearningRate);
            w = (w - update).detach().MoveToOuterDisposeScope();
            m = mNext.detach().MoveToOuterDisposeScope();
            v = vNext.detach().MoveToOuterDisposeScope();
        }
        return best;
    }
}

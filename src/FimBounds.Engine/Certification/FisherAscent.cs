using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Projected (sign-)gradient ascent of λ_max(F(x')) over a ball ∩ the pixel box. λ_max is differentiated
/// through its K×K form: with r_k = √p_k (J_k − pᵀJ) (J's rows centred by p), F = Σ_k r_k r_kᵀ, so its nonzero
/// eigenvalues are those of RRᵀ (K×K), whose largest eigenvalue autograd differentiates. The input Jacobian
/// comes from K gradients kept in the graph. For piecewise-linear networks J is constant between mask changes,
/// so the gradient moves p towards a less confident (larger A(p)) point, and masks flip on the way.
/// A lower estimate of the supremum Λ bounds: it only sharpens the denominator of the tightness ratio and
/// the attack on Λ.
/// </summary>
internal static class FisherAscent
{
    /// <summary>
    /// The best point of each ascent from <paramref name="starts"/> [R, C, H, W]: [R, C, H, W], in the dtype of
    /// <paramref name="starts"/>. The ascent runs in the model's own precision (rank/demo hand over the float32
    /// model with float64 inputs); its end points are projected onto the ball again in the inputs' precision,
    /// so a rounding step outside the ball can never be reported as a point of it.
    /// </summary>
    public static Tensor Ascend(nn.Module<Tensor, Tensor> model, Tensor centre, Tensor starts, PerturbationNorm norm, double epsilon, int steps)
    {
        using var scope = NewDisposeScope();
        ScalarType modelType = Measurement.MeasurementSession.DtypeOf(model) ?? starts.dtype;
        Tensor ended = AscendIn(model, centre.to(modelType), starts.to(modelType), norm, epsilon, steps).to(starts.dtype);
        return Project(ended, centre, norm, epsilon).MoveToOuterDisposeScope();
    }

    private static Tensor AscendIn(nn.Module<Tensor, Tensor> model, Tensor centre, Tensor starts, PerturbationNorm norm, double epsilon, int steps)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        Tensor x = starts.detach();
        Tensor best = x.clone();
        Tensor bestValue = TensorMath.Filled(new[] { x.shape[0] }, double.NegativeInfinity, x.dtype);
        double step = epsilon / 4;
        for (int i = 0; i < steps; i++)
        {
            using var stepScope = NewDisposeScope();
            Tensor leaf = x.detach().requires_grad_(true);
            Tensor value = LargestEigenvalue(model, leaf);
            Tensor gradient = autograd.grad(new[] { value.sum() }, new[] { leaf })[0];
            Tensor improved = value.detach().gt(bestValue).reshape(-1, 1, 1, 1);
            best = where(improved, x, best).MoveToOuterDisposeScope();
            bestValue = maximum(value.detach(), bestValue).MoveToOuterDisposeScope();
            Tensor move = norm == PerturbationNorm.Linf ? gradient.sign() : Unit(gradient);
            x = Project(x.Plus(move.Times(step)), centre, norm, epsilon).detach().MoveToOuterDisposeScope();
            if (i == steps / 2)
            {
                step /= 4;
            }
        }
        return best.MoveToOuterDisposeScope();
    }

    /// <summary>λ_max(F(x_b)) [B], differentiable in x (which must require gradients).</summary>
    private static Tensor LargestEigenvalue(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        Tensor logits = model.call(x);
        long classes = logits.shape[1];
        Tensor[] rows = new Tensor[classes];
        for (int k = 0; k < classes; k++)
        {
            rows[k] = autograd.grad(new[] { logits[.., k].sum() }, new[] { x }, retain_graph: true, create_graph: true)[0].flatten(1);
        }
        Tensor jacobian = stack(rows, 1);
        Tensor p = logits.softmax(1);
        Tensor centred = jacobian.Minus(p.unsqueeze(1).matmul(jacobian)).mul(p.sqrt().unsqueeze(2));
        Tensor gram = centred.matmul(centred.transpose(1, 2));
        return linalg.eigvalsh(gram.Plus(gram.transpose(1, 2)).Times(0.5)).max(1).values;
    }

    private static Tensor Project(Tensor x, Tensor centre, PerturbationNorm norm, double epsilon)
    {
        Tensor delta = x.Minus(centre);
        if (norm == PerturbationNorm.Linf)
        {
            delta = delta.ClampTo(-epsilon, epsilon);
        }
        else
        {
            Tensor length = delta.flatten(1).norm(1, keepdim: true).reshape(-1, 1, 1, 1);
            delta = delta.mul(length.ClampBelow(epsilon).reciprocal().Times(epsilon));
        }
        return centre.Plus(delta).ClampTo(0, 1);
    }

    private static Tensor Unit(Tensor v) => v.div(v.flatten(1).norm(1, keepdim: true).ClampBelow(1e-300).reshape(-1, 1, 1, 1));
}

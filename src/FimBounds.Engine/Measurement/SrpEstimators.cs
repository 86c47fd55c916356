using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// The reference code's estimators (github.com/franz-chang/SRP, main.py and max_eigenvalue.py), kept as a
/// compatibility mode so its numbers can be reproduced and compared. Both are biased LOW:
/// - white-box: one input at a time, one backward() per class for Q — into the parameters too, since the
///   reference leaves them trainable, reading and zeroing x.grad each time — then the max over 100 Gaussian
///   probes z ∈ ℝᴷ of the Rayleigh quotient zᵀBz/zᵀz with B = Λ^½QᵀQΛ^½ (a random probe rarely aligns
///   with the top eigenvector, so the max sits well below λ_max as K grows);
/// - black-box: max over m random unit directions of Σ_k p_k D_kj² = v_jᵀFv_j, which is about tr F/d in
///   scale, not λ_max.
/// (The reference takes log(softmax); here log_softmax is used, which changes no value, only avoids NaN.)
/// </summary>
internal static class SrpEstimators
{
    public static FimSample WhiteBox(nn.Module<Tensor, Tensor> model, Tensor input, int index, FimOptions options, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.unsqueeze(0).detach().requires_grad_(true);
        Tensor logP = nn.functional.log_softmax(InputJacobian.Logits(model, x), 1);
        long classes = logP.shape[1];
        var columns = new Tensor[classes];
        for (long k = 0; k < classes; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            logP[0, k].backward(retain_graph: true);
            columns[k] = x.grad!.detach().clone().reshape(-1).to(float64);
            x.grad.zero_();
        }
        Tensor q = stack(columns, 1);                                                   // d × K
        Tensor p = logP[0].detach().to(float64).exp();
        if (!isfinite(logP).all().item<bool>() || !isfinite(q).all().item<bool>())
        {
            return new FimSample { Index = index, Status = SampleStatus.NonFiniteGradients, Problem = "log-probabilities or their gradients contain NaN or Inf" };
        }
        Tensor sqrtP = p.sqrt();
        Tensor b = sqrtP.unsqueeze(1) * q.t().matmul(q) * sqrtP.unsqueeze(0);
        using Generator generator = RandomDirections.For(options.Seed, index, stream: 4);
        Tensor z = randn(new[] { classes, (long)options.SrpProbes }, dtype: float64, generator: generator);
        // (dim: 0 named: a bare literal 0 would bind to the sum(ScalarType) overload.)
        Tensor rayleigh = (z * b.matmul(z)).sum(dim: 0) / (z * z).sum(dim: 0);
        return Build(index, p, rayleigh.max().item<double>(), b.trace().item<double>());
    }

    public static FimSample BlackBox(nn.Module<Tensor, Tensor> model, Tensor input, int index, FimOptions options, int perForward,
        CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        Tensor p;
        using (no_grad())
        {
            p = nn.functional.log_softmax(InputJacobian.Logits(model, input.unsqueeze(0)).to(float64), 1)[0].exp();
        }
        if (!isfinite(p).all().item<bool>())
        {
            return new FimSample { Index = index, Status = SampleStatus.NonFiniteLogits, Problem = "logits contain NaN or Inf" };
        }
        using Generator generator = RandomDirections.For(options.Seed, index, stream: 5);
        Tensor directions = RandomDirections.UnitSphere(options.SrpDirections, input.numel(), generator);
        Tensor derivatives = FiniteDifferences.DirectionalDerivatives(model, input, directions, options.SrpStep, perForward, cancellation);
        double value = (derivatives.Power(2) * p.unsqueeze(0)).sum(1).max().item<double>();
        return double.IsFinite(value)
            ? Build(index, p, value, trace: null)
            : new FimSample { Index = index, Status = SampleStatus.NonFiniteGradients, Problem = "perturbed logits contain NaN or Inf" };
    }

    private static FimSample Build(int index, Tensor p, double value, double? trace)
    {
        double[] probabilities = p.data<double>().ToArray();
        int predicted = Array.IndexOf(probabilities, probabilities.Max());
        return new FimSample
        {
            Index = index,
            LambdaMax = value,
            Trace = trace,
            PMax = probabilities[predicted],
            PredictedClass = predicted,
            Probabilities = probabilities,
            ConfidenceFactor = SoftmaxCurvature.ConfidenceFactor(probabilities),
            SoftmaxCurvature = SoftmaxCurvature.LargestEigenvalues(p.unsqueeze(0))[0],
        };
    }
}

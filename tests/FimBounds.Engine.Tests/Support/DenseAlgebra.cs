using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>Reference computations done the slow, obvious way, independently of the engine's code paths.</summary>
public static class DenseAlgebra
{
    /// <summary>Logit Jacobian J [K, d] at one input by K separate backward passes, and p.</summary>
    public static (Matrix<double> J, double[] P) LogitJacobian(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using var scope = NewDisposeScope();
        model.eval();
        Tensor x = input.unsqueeze(0).detach().clone().requires_grad_(true);
        Tensor z = model.call(x);
        int k = (int)z.shape[1];
        int d = (int)x.numel();
        var j = Matrix<double>.Build.Dense(k, d);
        for (int c = 0; c < k; c++)
        {
            double[] row = TestTensors.Data(autograd.grad(new[] { z[0, c] }, new[] { x }, retain_graph: true)[0].reshape(-1));
            j.SetRow(c, row);
        }
        double[] p = TestTensors.Data(nn.functional.softmax(z.detach().to(float64), 1)[0]);
        return (j, p);
    }

    /// <summary>Q = [∇ log p_1 … ∇ log p_K] (d × K) by back-propagating log_softmax class by class.</summary>
    public static Matrix<double> LogProbabilityGradients(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using var scope = NewDisposeScope();
        model.eval();
        Tensor x = input.unsqueeze(0).detach().clone().requires_grad_(true);
        Tensor logP = nn.functional.log_softmax(model.call(x), 1);
        int k = (int)logP.shape[1];
        var q = Matrix<double>.Build.Dense((int)x.numel(), k);
        for (int c = 0; c < k; c++)
        {
            q.SetColumn(c, TestTensors.Data(autograd.grad(new[] { logP[0, c] }, new[] { x }, retain_graph: true)[0].reshape(-1)));
        }
        return q;
    }

    public static Matrix<double> ToMatrix(double[,] a) => Matrix<double>.Build.DenseOfArray(a);

    public static double LargestEigenvalue(Matrix<double> symmetric) =>
        symmetric.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).Max();

    public static double RelativeDifference(Matrix<double> a, Matrix<double> b) =>
        (a - b).Enumerate().Select(Math.Abs).Max() / Math.Max(a.Enumerate().Select(Math.Abs).Max(), 1e-300);

    /// <summary>KL(p(x) ‖ p(x+δ)) in float64 from log_softmax.</summary>
    public static double KullbackLeibler(nn.Module<Tensor, Tensor> model, Tensor x, Tensor delta)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        Tensor logP = nn.functional.log_softmax(model.call(x.unsqueeze(0)), 1);
        Tensor logQ = nn.functional.log_softmax(model.call((x + delta).unsqueeze(0)), 1);
        return (logP.exp() * (logP - logQ)).sum().item<double>();
    }
}

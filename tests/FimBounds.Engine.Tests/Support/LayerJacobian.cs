using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Support;

/// <summary>The dense Jacobian of a map at one point and its spectral norm, the slow and obvious way.</summary>
public static class LayerJacobian
{
    /// <summary>‖∂f/∂x‖₂ at <paramref name="x"/> (shape without batch): rows by backward passes on a replicated batch.</summary>
    public static double SpectralNorm(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        long inputSize = x.numel();
        long outputSize;
        using (no_grad())
        {
            outputSize = f(x.unsqueeze(0)).numel();
        }
        var rows = new List<Tensor>();
        const long chunk = 512;
        for (long start = 0; start < outputSize; start += chunk)
        {
            long count = Math.Min(chunk, outputSize - start);
            Tensor xs = x.unsqueeze(0).expand(new[] { count }.Concat(x.shape).ToArray()).clone().detach().requires_grad_(true);
            Tensor y = f(xs).reshape(count, -1);
            Tensor seeds = eye(outputSize, dtype: y.dtype).narrow(0, start, count);
            rows.Add(autograd.grad(new[] { y }, new[] { xs }, new[] { seeds })[0].reshape(count, inputSize));
        }
        return linalg.svdvals(cat(rows, 0).to(float64)).max().item<double>();
    }
}

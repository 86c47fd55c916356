using FimBounds.Engine.Bounds;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>
/// The attention maxima measured at calibration inputs, against the definitions computed the slow way:
/// ‖P_h‖₂ and, for every query row i, the SVD of A(pᵢ)·V_h with A(p) = diag p − ppᵀ.
/// </summary>
public sealed class AttentionCalibrationTests
{
    private const int Tokens = 7, Dim = 8, Heads = 2, HeadDim = Dim / Heads;

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e5)]   // tokens sharing a direction 10⁵ times their spread: V's terms cancel in A(pᵢ)V
    public void Value_spreads_and_attention_norms_equal_their_definitions(double shared)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4242);
        Tensor noise = randn(new long[] { 2, Tokens, Dim }, dtype: float64, generator: generator);
        Tensor direction = randn(new long[] { 1, 1, Dim }, dtype: float64, generator: generator);
        Tensor x = noise.Plus(direction.Times(shared));
        // Query and key weights scaled down by the shared size, so the scores stay moderate and the softmax is not one-hot.
        Tensor queryKey = randn(new long[] { 2 * Dim, Dim }, dtype: float64, generator: generator).DividedBy(1.0 + shared);
        Tensor value = randn(new long[] { Dim, Dim }, dtype: float64, generator: generator);
        Tensor weight = cat(new[] { queryKey, value }, 0);
        Tensor bias = randn(new long[] { 3 * Dim }, dtype: float64, generator: generator);

        var calibration = new AttentionCalibration(Heads, folded: false);
        calibration.ObserveInput(x, weight, bias);

        var (matrixNorm, valueSpread) = Definitions(x, weight, bias);
        Assert.True(valueSpread.Min() > 0.05, "the test attention spreads its values");
        for (int h = 0; h < Heads; h++)
        {
            Assert.Equal(matrixNorm[h], calibration.MatrixNorm[h], matrixNorm[h] * 1e-12);
            Assert.Equal(valueSpread[h], calibration.ValueSpread[h], valueSpread[h] * 1e-8);
        }
        Assert.Equal(linalg.svdvals(x).max().item<double>(), calibration.TokenMatrixNorm, 1e-9 * calibration.TokenMatrixNorm);
    }

    private static (double[] MatrixNorm, double[] ValueSpread) Definitions(Tensor x, Tensor weight, Tensor bias)
    {
        var matrixNorm = new double[Heads];
        var valueSpread = new double[Heads];
        for (long b = 0; b < x.shape[0]; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                Tensor Project(int part) => nn.functional.linear(x[b], weight.narrow(0, part * Dim + h * HeadDim, HeadDim), bias.narrow(0, part * Dim + h * HeadDim, HeadDim));
                Tensor p = Project(0).matmul(Project(1).t()).DividedBy(Math.Sqrt(HeadDim)).softmax(-1);
                Tensor v = Project(2);
                matrixNorm[h] = Math.Max(matrixNorm[h], linalg.svdvals(p).max().item<double>());
                for (long i = 0; i < Tokens; i++)
                {
                    Tensor row = p[i];
                    Tensor a = diag(row).Minus(row.unsqueeze(1).matmul(row.unsqueeze(0)));
                    valueSpread[h] = Math.Max(valueSpread[h], linalg.svdvals(a.matmul(v)).max().item<double>());
                }
            }
        }
        return (matrixNorm, valueSpread);
    }
}

using FimBounds.Engine.Norms;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Norms;

/// <summary>σ of a thin product from its QR factors' core: the product's own σ (an SVD of the formed product), certified above it.</summary>
public sealed class MatrixProductNormTests
{
    [Theory]
    [InlineData(96, 8, 80)]     // an attention head's W_Qᵀ W_K: rank 8
    [InlineData(40, 3, 50)]
    [InlineData(6, 10, 7)]      // inner side not the smallest: the product is formed
    public void Norm_of_the_product_equals_the_formed_products_largest_singular_value(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(m * 100 + k));
        Tensor left = randn(new long[] { m, k }, dtype: float64, generator: generator);
        Tensor right = randn(new long[] { k, n }, dtype: float64, generator: generator);
        double truth = linalg.svdvals(left.matmul(right)).max().item<double>();

        OperatorNorm norm = MatrixNorm.OfProduct(left, right);

        Assert.True(norm.Upper >= truth, $"upper {norm.Upper} < σ {truth}: unsound");
        Assert.True(norm.Upper <= truth * (1 + 1e-8), $"upper {norm.Upper} is not σ {truth}");
        Assert.Equal(truth, norm.Lower, truth * 1e-12);
    }

    [Fact]
    public void The_core_of_the_factors_transposed_the_wrong_way_is_not_the_products_norm()
    {
        // Negative control: σ(R_l R_r), without the transpose, is the norm of another matrix — the test above would catch it.
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor left = randn(new long[] { 30, 4 }, dtype: float64, generator: generator);
        Tensor right = randn(new long[] { 4, 20 }, dtype: float64, generator: generator);
        double truth = linalg.svdvals(left.matmul(right)).max().item<double>();
        Tensor wrong = linalg.qr(left).R.matmul(linalg.qr(right.t()).R);
        Assert.True(Math.Abs(linalg.svdvals(wrong).max().item<double>() - truth) > truth * 1e-6);
    }
}

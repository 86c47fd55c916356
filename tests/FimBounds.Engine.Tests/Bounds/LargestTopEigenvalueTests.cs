using FimBounds.Engine.Bounds;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Bounds;

/// <summary>The largest top eigenvalue over a batch, against an eigen-solve of every member.</summary>
public sealed class LargestTopEigenvalueTests
{
    [Fact]
    public void Equals_the_largest_eigenvalue_of_all_members_from_above()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(99);
        Tensor factors = randn(new long[] { 40, 16, 9 }, dtype: float64, generator: generator);
        Tensor grams = factors.matmul(factors.transpose(-2, -1));
        double exact = linalg.eigvalsh(grams).max().item<double>();

        double found = LargestTopEigenvalue.Of(grams);

        Assert.InRange(found, exact, exact * (1 + 2 * LargestTopEigenvalue.Raise));
    }

    [Fact]
    public void A_member_the_power_steps_cannot_see_is_found_by_the_factorisation_test()
    {
        // Member 0: top eigenvector e₀ − e₁, orthogonal to the power steps' start (all ones), so they rank it at 0.01;
        // member 1 looks largest at 5. Only the failed factorisation of 5·I − G₀ reveals member 0's 10.01.
        using var scope = NewDisposeScope();
        const int d = 6;
        Tensor hidden = zeros(d, 1, dtype: float64);
        hidden[0] = tensor(1.0 / Math.Sqrt(2), float64);
        hidden[1] = tensor(-1.0 / Math.Sqrt(2), float64);
        Tensor member0 = hidden.matmul(hidden.t()).Times(10).Plus(eye(d, dtype: float64).Times(0.01));
        Tensor flat = ones(d, 1, dtype: float64).DividedBy(Math.Sqrt(d));
        Tensor member1 = flat.matmul(flat.t()).Times(5);
        Tensor grams = stack(new[] { member0, member1 });

        double found = LargestTopEigenvalue.Of(grams);

        Assert.InRange(found, 10.01, 10.01 * (1 + 1e-9));
    }
}

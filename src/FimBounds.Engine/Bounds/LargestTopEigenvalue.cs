using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// The largest top eigenvalue over a batch of symmetric positive semi-definite matrices, without an eigen-solve
/// of every member (a ViT-B/16 layer has 12 × 197 row Grams of 64 × 64 per input; eigvalsh of all of them took
/// 0.5 CPU-s a layer). A few power steps pick the member that looks largest; its exact top eigenvalue, raised by
/// <see cref="Raise"/>, is a level, and one batched Cholesky factorisation of level·I − G per member shows every
/// member where it completes to lie below the level (a factorisation completes only for a positive definite
/// matrix, up to a rounding of order d·u, far below the raise). Members where it fails are solved exactly.
/// The result is the maximum raised by the same relative amount (so never below it by an eigen-solve's rounding).
/// </summary>
internal static class LargestTopEigenvalue
{
    /// <summary>The relative amount the level lies above the picked member's top eigenvalue.</summary>
    public const double Raise = 1e-10;

    private const int PowerSteps = 6;

    /// <param name="grams">(members, d, d), symmetric positive semi-definite, float64.</param>
    public static double Of(Tensor grams)
    {
        using var scope = NewDisposeScope();
        long d = grams.shape[^1];
        // The power steps only rank the members: a member they misjudge fails the factorisation below and is solved exactly.
        Tensor x = ones(grams.shape[0], d, 1, dtype: grams.dtype);
        for (int step = 0; step < PowerSteps; step++)
        {
            x = grams.matmul(x);
            x = x.div(x.mul(x).sum(new long[] { -2 }, keepdim: true).sqrt().ClampBelow(double.Epsilon));
        }
        long picked = x.transpose(-2, -1).matmul(grams.matmul(x)).flatten().argmax().item<long>();
        double level = Math.Max(0, linalg.eigvalsh(grams[picked]).max().item<double>()) * (1 + Raise);

        Tensor shifted = eye(d, dtype: grams.dtype).Times(level).unsqueeze(0).Minus(grams);
        (Tensor _, Tensor info) = linalg.cholesky_ex(shifted);
        Tensor failing = info.to_type(ScalarType.Bool).nonzero().flatten();
        if (failing.shape[0] > 0)
        {
            level = Math.Max(level, linalg.eigvalsh(grams.index_select(0, failing)).max().item<double>() * (1 + Raise));
        }
        return level;
    }
}

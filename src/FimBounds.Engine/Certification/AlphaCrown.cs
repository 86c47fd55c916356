using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// α-CROWN (after Xu et al., 2021): the final backward pass with the lower slopes of unstable piecewise-linear
/// neurons as variables, raised by projected signed-gradient ascent on the sum of the specification's lower
/// bounds. Soundness needs no argument about the optimiser: every slope in [a, 1] gives a sound bound, so the
/// best bound seen per row is sound; the first pass uses CROWN's own slopes, so the result is never below CROWN's.
/// Intermediate bounds are the caller's (they are not re-optimised: see the README's certification section).
/// </summary>
internal static class AlphaCrown
{
    /// <summary>Backward passes per bound, the first at CROWN's slopes.</summary>
    public const int Passes = 20;

    /// <summary>The first step moves a slope by a quarter of its range; later ones shrink geometrically (Σ ≈ 1.6, the whole range).</summary>
    private const double FirstStep = 0.25;

    private const double Decay = 0.85;

    /// <summary>
    /// Lower bounds [B, S] of the specification from <paramref name="pass"/> (a backward pass over <paramref name="run"/>'s
    /// recorded intermediate bounds), the best of up to <see cref="Passes"/> slope settings per row; stops early once
    /// <paramref name="enough"/> holds for the best bounds so far (a certificate needs no tighter bound).
    /// </summary>
    public static Tensor LowerBounds(Func<BoundRun, Tensor> pass, BoundRun run, Func<Tensor, bool> enough, int passes = Passes)
    {
        using var slopes = new SlopeVariables();
        run.Slopes = slopes;
        try
        {
            using var grad = enable_grad();
            Tensor? best = null;
            double step = FirstStep;
            for (int p = 0; p < passes; p++)
            {
                // Each pass's tensors (and its autograd graph) die with this scope; the variables and the best bound do not.
                using DisposeScope scope = NewDisposeScope();
                Tensor bound = pass(run);
                using (no_grad())
                {
                    // NaN never wins a comparison, so a broken pass cannot replace a sound bound.
                    best = best is null ? bound.detach().clone().MoveToOuterDisposeScope() : best.copy_(where(bound.gt(best), bound, best));
                }
                IReadOnlyList<Tensor> variables = slopes.All;
                if (p == passes - 1 || variables.Count == 0 || !bound.requires_grad || enough(best))
                {
                    break;
                }
                Tensor[] gradients = autograd.grad(new[] { bound.sum() }, variables.ToArray(), allow_unused: true)
                    .Select((g, i) => g is null || g.IsInvalid ? zeros_like(variables[i]) : g).ToArray();
                slopes.Step(gradients, step);
                step *= Decay;
            }
            return best!;
        }
        finally
        {
            run.Slopes = null;
        }
    }
}

namespace FimBounds.Engine.Certification;

/// <summary>
/// What holds over the ball around one input: the class predicted at its centre, lower bounds on every
/// logit difference, whether the prediction is certified, and the local FIM bound Λ(x, ε).
/// </summary>
public sealed record BallBounds
{
    /// <summary>argmax of the logits at the centre.</summary>
    public required int Predicted { get; init; }

    /// <summary>[i, j]: a lower bound on z_i − z_j over the ball (the diagonal is 0).</summary>
    public required double[,] DifferenceLowerBounds { get; init; }

    /// <summary>Lower and upper bounds of every logit over the ball.</summary>
    public required double[] LogitLower { get; init; }

    public required double[] LogitUpper { get; init; }

    /// <summary>Every margin z_predicted − z_j (j ≠ predicted) is positive over the ball.</summary>
    public bool Certified
    {
        get
        {
            for (int j = 0; j < LogitLower.Length; j++)
            {
                if (j != Predicted && !(DifferenceLowerBounds[Predicted, j] > 0))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>Λ(x, ε) ≥ sup over the ball of λ_max(F(x')), and the pieces it is made of.</summary>
    public required LocalFisherBound Fisher { get; init; }
}

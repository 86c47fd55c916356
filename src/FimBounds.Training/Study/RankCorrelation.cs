namespace FimBounds.Training.Study;

/// <summary>
/// Rank correlations with ties handled: Spearman's ρ as Pearson's r of average ranks, and Kendall's
/// τ-b. Both return null when undefined (fewer than two pairs, or a variable that is constant).
/// </summary>
public static class RankCorrelation
{
    /// <summary>1-based ranks in ascending order; a run of equal values gets the average of its positions.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        int[] order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        double[] ranks = new double[n];
        for (int first = 0; first < n;)
        {
            int last = first;
            while (last + 1 < n && values[order[last + 1]].CompareTo(values[order[first]]) == 0)
            {
                last++;
            }
            double average = (first + last) / 2.0 + 1.0;
            for (int k = first; k <= last; k++)
            {
                ranks[order[k]] = average;
            }
            first = last + 1;
        }
        return ranks;
    }

    public static double? Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPairs(x, y);
        return x.Count < 2 ? null : Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>
    /// τ-b = (C − D) / √((P − Tₓ)(P − T_y)), P = n(n−1)/2 pairs, C/D concordant/discordant pairs, Tₓ/T_y
    /// pairs tied in x/y. Direct O(n²) pair count: exact, and fast enough for the few hundred inputs of a study.
    /// </summary>
    public static double? KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPairs(x, y);
        int n = x.Count;
        if (n < 2)
        {
            return null;
        }
        long score = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < n; i++)
        {
            double xi = x[i];
            double yi = y[i];
            for (int j = i + 1; j < n; j++)
            {
                int sx = xi.CompareTo(x[j]);
                int sy = yi.CompareTo(y[j]);
                if (sx == 0)
                {
                    tiedX++;
                }
                if (sy == 0)
                {
                    tiedY++;
                }
                score += Math.Sign(sx) * Math.Sign(sy);
            }
        }
        long pairs = (long)n * (n - 1) / 2;
        double denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denominator == 0 ? null : Math.Clamp(score / denominator, -1.0, 1.0);
    }

    internal static double? Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? null : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    private static void CheckPairs(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"a correlation needs pairs: {x.Count} x-values and {y.Count} y-values");
        }
        if (x.Any(double.IsNaN) || y.Any(double.IsNaN))
        {
            throw new ArgumentException("NaN has no rank: remove undefined values before correlating");
        }
    }
}

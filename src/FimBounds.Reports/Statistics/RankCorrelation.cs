namespace FimBounds.Reports.Statistics;

/// <summary>
/// Rank statistics with ties: fractional ranks, Spearman's ρ (Pearson's r of the fractional ranks, the
/// tie-correct form) and Kendall's τ-b. Each returns null when the coefficient is undefined: fewer than
/// two pairs, or one variable constant.
/// </summary>
public static class RankCorrelation
{
    /// <summary>Ranks 1…n in ascending order of value; tied values share the mean of their positions.</summary>
    public static double[] FractionalRanks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            double shared = (start + end) / 2.0 + 1.0;
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = shared;
            }
            start = end + 1;
        }
        return ranks;
    }

    public static double? Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RequireSameLength(x, y);
        return x.Count < 2 ? null : Pearson(FractionalRanks(x), FractionalRanks(y));
    }

    /// <summary>
    /// τ-b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)), n₀ = n(n−1)/2, n₁ and n₂ the pairs tied in x and in y.
    /// O(n²), meant for rankings of a few dozen models.
    /// </summary>
    public static double? KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RequireSameLength(x, y);
        int n = x.Count;
        long concordantMinusDiscordant = 0, tiedX = 0, tiedY = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                int sx = Math.Sign(x[i] - x[j]);
                int sy = Math.Sign(y[i] - y[j]);
                concordantMinusDiscordant += sx * sy;
                if (sx == 0) tiedX++;
                if (sy == 0) tiedY++;
            }
        }
        long pairs = (long)n * (n - 1) / 2;
        double denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denominator == 0 ? null : Clamp(concordantMinusDiscordant / denominator);
    }

    private static double? Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : Clamp(sxy / Math.Sqrt(sxx * syy));
    }

    // Rounding can put a perfect correlation a hair outside [−1, 1]; atanh and readers expect it inside.
    private static double Clamp(double r) => Math.Max(-1.0, Math.Min(1.0, r));

    private static void RequireSameLength(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Correlation needs pairs: got {x.Count} and {y.Count} values.");
        }
    }
}

namespace FimBounds.Reports.Statistics;

/// <summary>Ordinary least squares y = a + b·x; null when x is constant or fewer than two points.</summary>
public static class LinearFit
{
    public static (double Intercept, double Slope)? Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"A fit needs pairs: got {x.Count} and {y.Count} values.");
        }
        if (x.Count < 2)
        {
            return null;
        }
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        if (sxx == 0)
        {
            return null;
        }
        double slope = sxy / sxx;
        return (my - slope * mx, slope);
    }
}

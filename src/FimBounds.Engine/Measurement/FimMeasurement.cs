namespace FimBounds.Engine.Measurement;

/// <summary>Mean, median, 95th percentile and max of λ_max over the finite inputs.</summary>
public sealed record FimSummary(int Count, int NonFinite, double Mean, double Median, double P95, double Max)
{
    /// <summary>Statistics of the finite values; <paramref name="nonFinite"/> counts the inputs left out.</summary>
    public static FimSummary Of(IReadOnlyList<double> values, int nonFinite)
    {
        if (values.Count == 0)
        {
            return new FimSummary(0, nonFinite, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        double[] sorted = values.OrderBy(v => v).ToArray();
        return new FimSummary(
            sorted.Length,
            nonFinite,
            sorted.Average(),
            Quantile(sorted, 0.5),
            Quantile(sorted, 0.95),
            sorted[^1]);
    }

    /// <summary>Linear interpolation between order statistics (NumPy's default), on sorted data.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 1)
        {
            return sorted[0];
        }
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}

/// <summary>The result of measuring λ_max(F(x)) on a batch of inputs.</summary>
public sealed record FimMeasurement(
    FimMethod Method,
    int Classes,
    long InputDimension,
    IReadOnlyList<FimSample> Samples,
    double Seconds)
{
    /// <summary>Summary of λ_max (of the trace for Hutchinson, which does not estimate λ_max).</summary>
    public FimSummary Summary
    {
        get
        {
            IEnumerable<FimSample> finite = Samples.Where(s => s.IsFinite);
            double[] values = Method == FimMethod.Hutchinson
                ? finite.Select(s => s.Trace ?? double.NaN).ToArray()
                : finite.Select(s => s.LambdaMax ?? double.NaN).ToArray();
            return FimSummary.Of(values, Samples.Count(s => !s.IsFinite));
        }
    }

    /// <summary>What <see cref="Summary"/> summarises.</summary>
    public string SummaryOf => Method == FimMethod.Hutchinson ? "trace" : "lambdaMax";
}

/// <summary>Progress of a measurement: inputs done out of the total.</summary>
public readonly record struct FimProgress(int Done, int Total);
